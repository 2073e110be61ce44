package paging

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// A live tail (a subscription to new logs) is not a list with positions:
// where a subscriber has come to is an instant and the ids of the logs it
// has seen at that instant (several logs can share a millisecond). Every
// event of a tail carries that, as a cursor the subscriber can resume from.
//
// A tail cursor is base64url of the text "t1.<instant>.<query hash>.<id>,<id>…"
// followed by its 16-byte tag, like the other cursors: signed, strict and
// canonical.

// tailVersion names the format of tail cursors.
const tailVersion = "t1"

// Bounds of a tail cursor: the ids it holds, and each id's length (ids are
// Cloudflare's, of 26 to 36 characters; none is longer than 64, the
// service's own bound on an id).
const (
	MaxTailIDs   = 100
	maxTailIDLen = 64
)

// TailCursor is the decoded form of a tail's cursor.
type TailCursor struct {
	At    int64     // the instant, in Unix milliseconds
	Query QueryHash // the account, gateway and filter of the tail
	IDs   []string  // the ids seen at At, sorted
}

func (c TailCursor) appendText(b []byte) []byte {
	b = append(b, tailVersion...)
	b = append(b, '.')
	b = strconv.AppendInt(b, c.At, 10)
	b = append(b, '.')
	b = append(b, c.Query.String()...)
	b = append(b, '.')
	return append(b, strings.Join(c.IDs, ",")...)
}

// EncodeTail returns the opaque string form of c, signed with s's key.
func (s *Signer) EncodeTail(c TailCursor) string {
	b := c.appendText(make([]byte, 0, 48+27*len(c.IDs)+tagLen))
	b = s.appendTag(b, b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// maxTailCursorLen is the longest tail cursor.
var maxTailCursorLen = base64.RawURLEncoding.EncodedLen(len(tailVersion) + 1 + 19 + 1 + 16 + 1 + (maxTailIDLen+1)*MaxTailIDs + tagLen)

// IsTail reports whether str could be a tail cursor, from its first
// characters alone (the base64url of "t1."): it says which decoder to try,
// never whether the cursor is good.
func IsTail(str string) bool { return strings.HasPrefix(str, "dDEu") }

// DecodeTail parses a tail cursor as strictly as Decode does a
// connection's.
func (s *Signer) DecodeTail(str string) (TailCursor, error) {
	text, err := s.open(str, maxTailCursorLen)
	if err != nil {
		return TailCursor{}, err
	}
	parts := strings.Split(string(text), ".")
	if len(parts) != 4 || parts[0] != tailVersion {
		return TailCursor{}, fmt.Errorf("%w: unknown format", ErrBadCursor)
	}
	at, err1 := strconv.ParseInt(parts[1], 10, 64)
	q, err2 := ParseQueryHash(parts[2])
	if err1 != nil || err2 != nil || at <= 0 {
		return TailCursor{}, fmt.Errorf("%w: malformed fields", ErrBadCursor)
	}
	c := TailCursor{At: at, Query: q}
	if parts[3] != "" {
		c.IDs = strings.Split(parts[3], ",")
	}
	if len(c.IDs) > MaxTailIDs {
		return TailCursor{}, fmt.Errorf("%w: too many ids", ErrBadCursor)
	}
	for i, id := range c.IDs {
		if id == "" || len(id) > maxTailIDLen || (i > 0 && id <= c.IDs[i-1]) {
			return TailCursor{}, fmt.Errorf("%w: malformed ids", ErrBadCursor)
		}
	}
	if s.EncodeTail(c) != str {
		return TailCursor{}, fmt.Errorf("%w: not canonical", ErrBadCursor)
	}
	return c, nil
}
