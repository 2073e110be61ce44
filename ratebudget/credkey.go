package ratebudget

import (
	"encoding/binary"
	"encoding/hex"
	"net/http"

	"github.com/aigw/gqlfacade/internal/keyhash"
)

// credKey identifies one upstream credential without holding it: the hex
// SHA-256 of what the request authenticates with. Budgets, pauses, coalescing
// and cache entries are all keyed by it, so a secret never sits in memory,
// Redis or a log line longer than the request that carried it.
type credKey string

// short is a log-friendly prefix. It is a prefix of a hash, not of the
// credential, and long enough to tell a handful of callers apart.
func (k credKey) short() string {
	if len(k) > 12 {
		return string(k[:12])
	}
	return string(k)
}

// credentialKey hashes the credential a request will present upstream,
// following the upstream's own precedence: Authorization wins (Cloudflare
// checks it first), else the legacy X-Auth-Email + X-Auth-Key pair. ok is
// false when there is no usable credential: such requests are passed through
// unbudgeted, because the upstream rejects them (401) before counting them
// against any user's quota, and lumping every anonymous caller into one
// shared bucket would let one of them starve the others.
//
// The input is domain-separated and length-prefixed so that a bearer token
// can never hash like an email/key pair, nor "ab"+"c" like "a"+"bc".
func credentialKey(h http.Header) (credKey, bool) {
	if a := h.Get("Authorization"); a != "" {
		return hashParts("authorization", a), true
	}
	email, key := h.Get("X-Auth-Email"), h.Get("X-Auth-Key")
	if email != "" && key != "" {
		return hashParts("x-auth-key", email, key), true
	}
	return "", false
}

func hashParts(parts ...string) credKey {
	sum := keyhash.Sum(binary.LittleEndian, "aigw/ratebudget credential v1", parts...)
	return credKey(hex.EncodeToString(sum[:]))
}

// CredentialKey is credentialKey for other per-credential middleware (the
// circuit breaker), so that every layer keys a credential the same way and
// none holds the secret itself.
func CredentialKey(h http.Header) (string, bool) {
	k, ok := credentialKey(h)
	return string(k), ok
}
