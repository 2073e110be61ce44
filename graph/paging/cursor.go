// Package paging turns Relay connection arguments into upstream pages.
//
// The upstream pages by offset (page, per_page ≤ 50), so a cursor is an
// offset — plus the snapshot instant that pins a walk through the pages to
// the logs that existed when it began, and a hash of the query it belongs
// to, so that a cursor cannot be replayed against another query.
//
// A cursor is base64url of the text "c2.<snapshot>.<offset>.<query hash>"
// followed by the first 16 bytes of that text's HMAC-SHA256 under the
// service's cursor key (Signer). Only the service can write a cursor: one
// that was altered, made up, or signed with another key (another deployment,
// or this one before a restart without a shared secret) fails the tag check
// before any of its fields is believed, so a client can never steer a walk to
// an offset, snapshot or query of its own choosing. Offsets are bounded all
// the same (MaxOffset, MaxPosition): no position, window or page number the
// service computes can overflow or become absurd.
package paging

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrBadCursor is wrapped by every cursor decoding failure.
var ErrBadCursor = errors.New("invalid cursor")

// cursorVersion lets the format change without misreading old cursors. "c1"
// cursors carried no tag; they are refused like any other unsigned text.
const cursorVersion = "c2"

// MaxPosition bounds every position the service computes: window ends, the
// upstream's totals as used for windows, and so page numbers. It is far
// beyond any gateway's log list, and small enough that adding a page size to
// it cannot overflow.
const MaxPosition = 1<<31 - 1

// MaxOffset is the largest offset a cursor may hold: the position after it,
// where a window `after` it begins, is still at most MaxPosition.
const MaxOffset = MaxPosition - 1

// Cursor is the decoded form of an opaque connection cursor.
type Cursor struct {
	// Snapshot is the upper created_at bound (exclusive, Unix milliseconds)
	// of the walk the cursor belongs to.
	Snapshot int64
	// Offset is the 0-based position of the item in the snapshot's order,
	// 0 ≤ Offset ≤ MaxOffset.
	Offset int
	// Query identifies the query (gateway, filter, order, search).
	Query QueryHash
}

// appendText appends the signed text "c2.<snapshot>.<offset>.<query hash>".
func (c Cursor) appendText(b []byte) []byte {
	b = append(b, cursorVersion...)
	b = append(b, '.')
	b = strconv.AppendInt(b, c.Snapshot, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c.Offset), 10)
	b = append(b, '.')
	return append(b, c.Query.String()...)
}

// Encode returns the opaque string form of c, signed with s's key.
func (s *Signer) Encode(c Cursor) string {
	var buf [96]byte
	b := c.appendText(buf[:0])
	b = s.appendTag(b, b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// maxCursorLen bounds decoding work; real cursors are about 70 characters
// and none can exceed 90.
const maxCursorLen = 128

// strictBase64 refuses the variants of one cursor that differ only in the
// unused bits of the last character.
var strictBase64 = base64.RawURLEncoding.Strict()

// open checks that str is the canonical base64url of a text and its tag
// under s's key, at most maxLen characters long, and returns the text. The
// tag is checked first, in constant time, so nothing in an unsigned text is
// ever parsed into a value.
func (s *Signer) open(str string, maxLen int) ([]byte, error) {
	if len(str) == 0 || len(str) > maxLen {
		return nil, fmt.Errorf("%w: wrong length", ErrBadCursor)
	}
	raw, err := strictBase64.DecodeString(str)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	if len(raw) <= tagLen {
		return nil, fmt.Errorf("%w: too short", ErrBadCursor)
	}
	text, tag := raw[:len(raw)-tagLen], raw[len(raw)-tagLen:]
	var want [64]byte
	if !hmac.Equal(tag, s.appendTag(want[:0], text)) {
		return nil, fmt.Errorf("%w: not signed with this service's key", ErrBadCursor)
	}
	return text, nil
}

// Decode parses a cursor strictly: anything but the exact canonical form of
// a cursor signed with s's key is rejected.
func (s *Signer) Decode(str string) (Cursor, error) {
	text, err := s.open(str, maxCursorLen)
	if err != nil {
		return Cursor{}, err
	}
	parts := strings.Split(string(text), ".")
	if len(parts) != 4 || parts[0] != cursorVersion {
		return Cursor{}, fmt.Errorf("%w: unknown format", ErrBadCursor)
	}
	snap, err1 := strconv.ParseInt(parts[1], 10, 64)
	off, err2 := strconv.ParseInt(parts[2], 10, 64)
	q, err3 := ParseQueryHash(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || snap <= 0 || off < 0 || off > MaxOffset {
		return Cursor{}, fmt.Errorf("%w: malformed fields", ErrBadCursor)
	}
	c := Cursor{Snapshot: snap, Offset: int(off), Query: q}
	// Reject non-canonical spellings (leading zeros, "+1", …): a cursor is
	// only ever one we wrote.
	if s.Encode(c) != str {
		return Cursor{}, fmt.Errorf("%w: not canonical", ErrBadCursor)
	}
	return c, nil
}

// SnapshotTime returns the snapshot bound as a time.
func (c Cursor) SnapshotTime() time.Time { return time.UnixMilli(c.Snapshot).UTC() }
