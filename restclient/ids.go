package restclient

import "strings"

// maxIDLen bounds account and gateway ids (the spec's gateway_id maxLength).
const maxIDLen = 64

// maxLogIDLen bounds log ids. The spec gives no limit; Cloudflare's log ids
// are 26-character ULIDs, and 128 leaves room for a format change.
const maxLogIDLen = 128

// Ids are checked against a conservative allow-list before they reach a URL
// path, so that no id can add a path segment, a query or a fragment, whatever
// an escaping layer further down might do. url.PathEscape is applied as well.

// ValidateAccountID accepts 1..64 characters of [A-Za-z0-9_-]. Cloudflare's
// account ids are 32 hex digits; the wider set avoids rejecting a format
// change while still excluding anything path-significant.
func ValidateAccountID(id string) error {
	return checkIDChars("accountID", id, maxIDLen, false)
}

// ValidateLogID accepts 1..128 characters of [A-Za-z0-9_-] (log ids are
// ULIDs in practice).
func ValidateLogID(id string) error {
	return checkIDChars("logID", id, maxLogIDLen, false)
}

// ValidateGatewayID accepts 1..64 characters of [A-Za-z0-9_.-], except the
// dot-segments "." and ".." and any id containing "..", which a server or
// proxy could resolve as "parent directory".
func ValidateGatewayID(id string) error {
	if err := checkIDChars("gatewayID", id, maxIDLen, true); err != nil {
		return err
	}
	if id == "." || strings.Contains(id, "..") {
		return invalid("gatewayID", "must not be a dot-segment or contain \"..\"")
	}
	return nil
}

func checkIDChars(field, id string, maxLen int, allowDot bool) error {
	if id == "" || len(id) > maxLen {
		return invalid(field, "must be 1..%d characters long, got %d", maxLen, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || (allowDot && c == '.')
		if !ok {
			allowed := "[A-Za-z0-9_-]"
			if allowDot {
				allowed = "[A-Za-z0-9_.-]"
			}
			return invalid(field, "character at offset %d is not one of %s", i, allowed)
		}
	}
	return nil
}
