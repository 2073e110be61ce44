// Package globalid encodes and decodes the opaque global ids of Relay's Node
// interface. An id names its type and the Cloudflare ids that locate the
// object, so that `Query.node` can refetch it with no lookup table.
package globalid

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Kinds of objects a global id can name.
const (
	KindGateway = "Gateway"
	KindLog     = "Log"
)

// ID is a decoded global id. LogID is empty for a gateway.
type ID struct {
	Kind      string
	AccountID string
	GatewayID string
	LogID     string
}

// ErrInvalid is returned (wrapped) for anything that is not an id we issued.
var ErrInvalid = errors.New("invalid global id")

// The payload is a JSON array so that no separator character has to be
// forbidden in Cloudflare's ids; base64url keeps it opaque and URL-safe.
func encode(parts ...string) string {
	b, _ := json.Marshal(parts)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Gateway returns the global id of a gateway.
func Gateway(accountID, gatewayID string) string {
	return encode(KindGateway, accountID, gatewayID)
}

// Log returns the global id of a log.
func Log(accountID, gatewayID, logID string) string {
	return encode(KindLog, accountID, gatewayID, logID)
}

// maxLen bounds the work spent on an id: no id we issue comes near it.
const maxLen = 1024

// Decode parses a global id. It checks the shape only; the ids inside are
// validated by whoever uses them (restclient rejects unsafe account and
// gateway ids before any request).
func Decode(s string) (ID, error) {
	if len(s) == 0 || len(s) > maxLen {
		return ID{}, fmt.Errorf("%w: wrong length", ErrInvalid)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ID{}, fmt.Errorf("%w: not base64url", ErrInvalid)
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil {
		return ID{}, fmt.Errorf("%w: malformed payload", ErrInvalid)
	}
	for _, p := range parts {
		if p == "" {
			return ID{}, fmt.Errorf("%w: empty component", ErrInvalid)
		}
	}
	switch {
	case len(parts) == 3 && parts[0] == KindGateway:
		return ID{Kind: KindGateway, AccountID: parts[1], GatewayID: parts[2]}, nil
	case len(parts) == 4 && parts[0] == KindLog:
		return ID{Kind: KindLog, AccountID: parts[1], GatewayID: parts[2], LogID: parts[3]}, nil
	}
	return ID{}, fmt.Errorf("%w: unknown kind", ErrInvalid)
}
