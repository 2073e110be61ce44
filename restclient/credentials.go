package restclient

import (
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aigw/gqlfacade/internal/keyhash"
)

// Credentials authenticate one call. They are passed per call (not stored in
// the Client) because the facade forwards each GraphQL caller's own token.
//
// Token (an API token, sent as `Authorization: Bearer …`) takes precedence;
// otherwise Email and Key (the legacy global API key) are sent as
// X-Auth-Email / X-Auth-Key and must both be set. The zero value sends no
// authentication at all: whether that is acceptable is the caller's policy.
type Credentials struct {
	Token string
	Email string
	Key   string
}

// IsZero reports whether no credential is set.
func (c Credentials) IsZero() bool { return c.Token == "" && c.Email == "" && c.Key == "" }

// kind names the scheme that will actually be used.
func (c Credentials) kind() string {
	switch {
	case c.Token != "":
		return "bearer"
	case c.Email != "" && c.Key != "":
		return "apikey"
	case c.IsZero():
		return "none"
	default:
		return "incomplete"
	}
}

// String never reveals a secret, so Credentials can be logged or printed by
// accident without harm.
func (c Credentials) String() string {
	if k := c.kind(); k != "none" {
		return k + "(redacted)"
	}
	return "none"
}

// GoString keeps %#v from printing the fields.
func (c Credentials) GoString() string { return "restclient.Credentials(" + c.String() + ")" }

// LogValue keeps log/slog from printing the fields.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Fingerprint is a stable hex SHA-256 of the credential that would be sent,
// for keying caches per caller without keeping the secret. The input is
// domain-separated and length-prefixed so that different schemes or field
// splits can never collide. (The domain string goes as the first part, with
// its length, because that is how the first version hashed it.)
func (c Credentials) Fingerprint() string {
	parts := []string{"aigw/restclient credentials v1", c.kind()}
	switch parts[1] {
	case "bearer":
		parts = append(parts, c.Token)
	case "apikey", "incomplete":
		parts = append(parts, c.Email, c.Key)
	}
	sum := keyhash.Sum(binary.LittleEndian, "", parts...)
	return hex.EncodeToString(sum[:])
}

// validate rejects credentials that cannot be sent as-is. The messages never
// include the values.
func (c Credentials) validate() error {
	if c.kind() == "incomplete" {
		return invalid("credentials", "X-Auth-Email and X-Auth-Key must be set together")
	}
	for _, s := range c.secrets() {
		if !validHeaderValue(s) {
			return invalid("credentials", "contains characters not allowed in an HTTP header")
		}
	}
	if c.Token == "" && c.Email != "" && !validHeaderValue(c.Email) {
		return invalid("credentials", "email contains characters not allowed in an HTTP header")
	}
	return nil
}

// secrets lists the secret values that will be sent, for scrubbing.
func (c Credentials) secrets() []string {
	switch c.kind() {
	case "bearer":
		return []string{c.Token}
	case "apikey":
		return []string{c.Key}
	}
	return nil
}

// Header is the authentication headers a call with c carries, for a layer
// under the client that keys its work by credential (the rate budget)
// being asked about c outside any call.
func (c Credentials) Header() http.Header {
	h := http.Header{}
	c.apply(h)
	return h
}

// apply sets the authentication headers; zero credentials set none.
func (c Credentials) apply(h http.Header) {
	switch c.kind() {
	case "bearer":
		h.Set("Authorization", "Bearer "+c.Token)
	case "apikey":
		h.Set("X-Auth-Email", c.Email)
		h.Set("X-Auth-Key", c.Key)
	}
}

// scrub removes the secrets of c from s. Cheap insurance in case an upstream
// (or a proxy in front of it) echoes a header back in an error message.
func (c Credentials) scrub(s string) string {
	for _, sec := range c.secrets() {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// validHeaderValue accepts visible ASCII only: no spaces, controls (CR/LF
// header injection) or non-ASCII. API tokens, keys and emails all fit.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
