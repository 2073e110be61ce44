package paging

import (
	"errors"
	"fmt"
	"time"
)

// Args are a connection's Relay arguments as the client sent them.
type Args struct {
	First, Last   *int
	After, Before *string
}

// Limits are the page-size rules: the size used when neither first nor last
// is given, and the largest size allowed.
type Limits struct {
	DefaultSize int
	MaxSize     int
}

// InputError is a paging argument the client got wrong. It is reported as
// BAD_USER_INPUT and no upstream call is made for it.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// NoBound marks a Request without a `before` cursor.
const NoBound = -1

// maxClockSkew is how far in the future a cursor's snapshot may lie before
// the cursor is taken for a forgery.
const maxClockSkew = time.Minute

// Request is a validated paging request: which slice of the query's list to
// return, counted in positions of the snapshot's order.
type Request struct {
	Snapshot int64     // exclusive created_at bound, Unix milliseconds
	Query    QueryHash // the query the cursors belong to
	Lo       int       // the first position allowed (one past `after`)
	Hi       int       // one past the last position allowed (`before`), or NoBound
	Size     int       // how many items to return at most
	FromEnd  bool      // `last`: the Size items just before Hi (or the end)
}

// Parse validates Relay arguments against the limits and the query they are
// used with. A new walk (no cursor) is pinned to now; a walk that goes on
// keeps the snapshot its cursors carry.
func Parse(a Args, lim Limits, q QueryHash, now time.Time) (Request, error) {
	r := Request{Query: q, Hi: NoBound, Size: lim.DefaultSize, Snapshot: now.UnixMilli()}
	switch {
	case a.First != nil && a.Last != nil:
		return r, inputErr("pass either first or last, not both")
	case a.First != nil:
		if err := checkSize("first", *a.First, lim); err != nil {
			return r, err
		}
		r.Size = *a.First
	case a.Last != nil:
		if err := checkSize("last", *a.Last, lim); err != nil {
			return r, err
		}
		r.Size, r.FromEnd = *a.Last, true
	}

	var snaps []int64
	if a.After != nil {
		c, err := checkCursor("after", *a.After, q, now)
		if err != nil {
			return r, err
		}
		r.Lo = c.Offset + 1
		snaps = append(snaps, c.Snapshot)
	}
	if a.Before != nil {
		c, err := checkCursor("before", *a.Before, q, now)
		if err != nil {
			return r, err
		}
		r.Hi = c.Offset
		snaps = append(snaps, c.Snapshot)
	}
	if len(snaps) == 2 && snaps[0] != snaps[1] {
		return r, inputErr("after and before come from different walks through the list")
	}
	if len(snaps) > 0 {
		r.Snapshot = snaps[0]
	}
	return r, nil
}

func checkSize(name string, n int, lim Limits) error {
	if n < 0 {
		return inputErr("%s must not be negative (got %d)", name, n)
	}
	if n > lim.MaxSize {
		return inputErr("%s must be at most %d (got %d)", name, lim.MaxSize, n)
	}
	return nil
}

func checkCursor(name, s string, q QueryHash, now time.Time) (Cursor, error) {
	c, err := DecodeCursor(s)
	if errors.Is(err, ErrBadCursor) {
		return c, inputErr("%s is not a cursor issued by this service", name)
	}
	if c.Query != q {
		return c, inputErr("%s is a cursor of another query (gateway, filter, order or search differ)", name)
	}
	if c.SnapshotTime().After(now.Add(maxClockSkew)) {
		return c, inputErr("%s is not a cursor issued by this service", name)
	}
	return c, nil
}

// NeedsTotal reports whether the window can only be placed once the total is
// known: `last` with no `before` counts back from the end of the list.
func (r Request) NeedsTotal() bool { return r.FromEnd && r.Hi == NoBound }

// Window returns the positions [start, end) to return. total is used only
// when NeedsTotal is true.
func (r Request) Window(total int) (start, end int) {
	if !r.FromEnd {
		start, end = r.Lo, r.Lo+r.Size
		if r.Hi != NoBound && end > r.Hi {
			end = r.Hi
		}
		return start, max(start, end)
	}
	end = r.Hi
	if end == NoBound {
		end = total
	}
	start = max(r.Lo, end-r.Size)
	return min(start, end), end
}

// CursorAt returns the cursor of the item at position offset.
func (r Request) CursorAt(offset int) Cursor {
	return Cursor{Snapshot: r.Snapshot, Offset: offset, Query: r.Query}
}
