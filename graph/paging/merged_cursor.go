package paging

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A walk across gateways merges the lists of several gateways into one. One
// offset cannot say where such a walk is: a cursor holds, for every gateway
// of the walk, how many of its items come before the cursor's item, and
// which gateway the item itself is from. From that vector the walk goes on
// in each gateway's own list exactly where the merge left it, forwards or
// backwards.
//
// A merged cursor is base64url of the text
// "m1.<snapshot>.<query hash>.<set hash>.<gateway>.<before₀>.<before₁>…"
// followed by its 16-byte tag, like a single-gateway cursor: signed, strict
// and canonical. Its length grows with the number of gateways only
// (MaxMergedCursorLen), which the service bounds.

// mergedVersion names the format of merged cursors.
const mergedVersion = "m1"

// ErrOtherKind is a correctly signed cursor of another kind of list: a
// single gateway's cursor where a walk across gateways is expected.
var ErrOtherKind = fmt.Errorf("%w: a cursor of another kind of list", ErrBadCursor)

// MergedCursor is the decoded form of a cursor of a walk across gateways.
type MergedCursor struct {
	// Snapshot is the walk's created_at bound (exclusive, Unix ms).
	Snapshot int64
	// Query identifies the account, filter, order and search.
	Query QueryHash
	// Set identifies the gateways of the walk, in their order.
	Set QueryHash
	// Gateway is the index, in the set, of the gateway of the item.
	Gateway int
	// Before holds, for each gateway of the set, how many of its items
	// come before the cursor's item in the merged order; each at most
	// MaxOffset.
	Before []int
}

func (c MergedCursor) appendText(b []byte) []byte {
	b = append(b, mergedVersion...)
	b = append(b, '.')
	b = strconv.AppendInt(b, c.Snapshot, 10)
	b = append(b, '.')
	b = append(b, c.Query.String()...)
	b = append(b, '.')
	b = append(b, c.Set.String()...)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c.Gateway), 10)
	for _, n := range c.Before {
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return b
}

// EncodeMerged returns the opaque string form of c, signed with s's key.
func (s *Signer) EncodeMerged(c MergedCursor) string {
	b := c.appendText(make([]byte, 0, 64+11*len(c.Before)+tagLen))
	b = s.appendTag(b, b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// MaxMergedCursorLen is the longest cursor of a walk across at most g
// gateways: a fixed part and at most 11 characters of text per gateway.
func MaxMergedCursorLen(g int) int {
	const fixed = len(mergedVersion) + 1 + 19 + 1 + 16 + 1 + 16 + 1 + 10 // snapshot, hashes, gateway index
	return base64.RawURLEncoding.EncodedLen(fixed + 11*max(g, 1) + tagLen)
}

// DecodeMerged parses a merged cursor of at most maxGateways gateways as
// strictly as Decode does a single gateway's.
func (s *Signer) DecodeMerged(str string, maxGateways int) (MergedCursor, error) {
	text, err := s.open(str, MaxMergedCursorLen(maxGateways))
	if err != nil {
		return MergedCursor{}, err
	}
	parts := strings.Split(string(text), ".")
	if parts[0] == cursorVersion {
		return MergedCursor{}, ErrOtherKind
	}
	if len(parts) < 6 || parts[0] != mergedVersion || len(parts)-5 > maxGateways {
		return MergedCursor{}, fmt.Errorf("%w: unknown format", ErrBadCursor)
	}
	snap, err1 := strconv.ParseInt(parts[1], 10, 64)
	q, err2 := ParseQueryHash(parts[2])
	set, err3 := ParseQueryHash(parts[3])
	gw, err4 := strconv.Atoi(parts[4])
	if err := errors.Join(err1, err2, err3, err4); err != nil || snap <= 0 || gw < 0 || gw >= len(parts)-5 {
		return MergedCursor{}, fmt.Errorf("%w: malformed fields", ErrBadCursor)
	}
	c := MergedCursor{Snapshot: snap, Query: q, Set: set, Gateway: gw, Before: make([]int, len(parts)-5)}
	for i, p := range parts[5:] {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || n > MaxOffset {
			return MergedCursor{}, fmt.Errorf("%w: malformed fields", ErrBadCursor)
		}
		c.Before[i] = int(n)
	}
	if s.EncodeMerged(c) != str {
		return MergedCursor{}, fmt.Errorf("%w: not canonical", ErrBadCursor)
	}
	return c, nil
}
