// Package paging turns Relay connection arguments into upstream pages.
//
// The upstream pages by offset (page, per_page ≤ 50), so a cursor is an
// offset — plus the snapshot instant that pins a walk through the pages to
// the logs that existed when it began, and a hash of the query it belongs
// to, so that a cursor cannot be replayed against another query.
package paging

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrBadCursor is wrapped by every cursor decoding failure.
var ErrBadCursor = errors.New("invalid cursor")

// cursorVersion lets the format change without misreading old cursors.
const cursorVersion = "c1"

// Cursor is the decoded form of an opaque connection cursor.
type Cursor struct {
	// Snapshot is the upper created_at bound (exclusive, Unix milliseconds)
	// of the walk the cursor belongs to.
	Snapshot int64
	// Offset is the 0-based position of the item in the snapshot's order.
	Offset int
	// Query identifies the query (gateway, filter, order, search).
	Query QueryHash
}

// Encode returns the opaque string form: base64url of
// "c1.<snapshot>.<offset>.<query hash>".
func (c Cursor) Encode() string {
	var buf [64]byte
	b := append(buf[:0], cursorVersion...)
	b = append(b, '.')
	b = strconv.AppendInt(b, c.Snapshot, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c.Offset), 10)
	b = append(b, '.')
	b = append(b, c.Query.String()...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// maxCursorLen bounds decoding work; real cursors are about 60 characters.
const maxCursorLen = 128

// DecodeCursor parses a cursor strictly: anything but the exact canonical
// form of a cursor we issued is rejected.
func DecodeCursor(s string) (Cursor, error) {
	if len(s) == 0 || len(s) > maxCursorLen {
		return Cursor{}, fmt.Errorf("%w: wrong length", ErrBadCursor)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 4 || parts[0] != cursorVersion {
		return Cursor{}, fmt.Errorf("%w: unknown format", ErrBadCursor)
	}
	snap, err1 := strconv.ParseInt(parts[1], 10, 64)
	off, err2 := strconv.Atoi(parts[2])
	q, err3 := ParseQueryHash(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || snap <= 0 || off < 0 {
		return Cursor{}, fmt.Errorf("%w: malformed fields", ErrBadCursor)
	}
	c := Cursor{Snapshot: snap, Offset: off, Query: q}
	// Reject non-canonical spellings (leading zeros, "+1", …): a cursor is
	// only ever one we wrote.
	if c.Encode() != s {
		return Cursor{}, fmt.Errorf("%w: not canonical", ErrBadCursor)
	}
	return c, nil
}

// SnapshotTime returns the snapshot bound as a time.
func (c Cursor) SnapshotTime() time.Time { return time.UnixMilli(c.Snapshot).UTC() }
