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

// maxClockSkew is how far ahead of this server's clock a cursor's snapshot
// may lie: a replica sharing the key may run fast. A snapshot further ahead
// would let the walk take in logs that arrive while it goes on.
const maxClockSkew = time.Minute

// Walk is what a connection's arguments are checked against: the query
// its cursors must belong to, the time of the request, the snapshot a new
// walk is pinned to, and the key the cursors must be signed with.
type Walk struct {
	Query    QueryHash
	Now      time.Time // no cursor's snapshot lies beyond it (but for clock skew)
	Snapshot time.Time // pins a new walk; one that goes on keeps its cursors'
	Cursors  *Signer
}

// Request is a validated paging request: which slice of the query's list to
// return, counted in positions of the snapshot's order.
type Request struct {
	Snapshot int64     // exclusive created_at bound, Unix milliseconds
	Query    QueryHash // the query the cursors belong to
	Lo       int       // the first position allowed (one past `after`)
	Hi       int       // one past the last position allowed (`before`), or NoBound
	Size     int       // how many items to return at most
	FromEnd  bool      // `last`: the Size items just before Hi (or the end)
	cursors  *Signer   // signs the cursors of the window's items
}

// Parse validates Relay arguments against the limits and the walk they are
// used with. A new walk (no cursor) is pinned to w.Snapshot; a walk that
// goes on keeps the snapshot its cursors carry.
func Parse(a Args, lim Limits, w Walk) (Request, error) {
	r := Request{Query: w.Query, Hi: NoBound, Snapshot: w.Snapshot.UnixMilli(), cursors: w.Cursors}
	var err error
	if r.Size, r.FromEnd, err = parseSize(a, lim); err != nil {
		return r, err
	}

	var snaps []int64
	if a.After != nil {
		c, err := checkCursor("after", *a.After, w)
		if err != nil {
			return r, err
		}
		r.Lo = c.Offset + 1 // ≤ MaxPosition: offsets are bounded
		snaps = append(snaps, c.Snapshot)
	}
	if a.Before != nil {
		c, err := checkCursor("before", *a.Before, w)
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

// parseSize reads first or last: how many items, and whether they are
// counted back from the end of the window.
func parseSize(a Args, lim Limits) (size int, fromEnd bool, err error) {
	switch {
	case a.First != nil && a.Last != nil:
		return 0, false, inputErr("pass either first or last, not both")
	case a.First != nil:
		return *a.First, false, checkSize("first", *a.First, lim)
	case a.Last != nil:
		return *a.Last, true, checkSize("last", *a.Last, lim)
	}
	return lim.DefaultSize, false, nil
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

// notOurCursor answers a cursor that fails its signature check.
const notOurCursor = "%s is not a cursor this service can accept: it was altered, or issued by another deployment or before the service restarted; start the walk again from the first page, without after or before"

// inTheFuture answers a cursor whose snapshot lies ahead of this server's clock.
const inTheFuture = "%s comes from a walk that begins in the future (the servers' clocks disagree); start the walk again from the first page"

func checkCursor(name, s string, w Walk) (Cursor, error) {
	c, err := w.Cursors.Decode(s)
	if errors.Is(err, ErrBadCursor) {
		// An honest client gets here with a cursor of a server that has
		// another key: one that restarted with no shared secret, or another
		// deployment. Its walk cannot go on, but a new one can.
		return c, inputErr(notOurCursor, name)
	}
	if c.Query != w.Query {
		return c, inputErr("%s is a cursor of another query (gateway, filter, order or search differ)", name)
	}
	if c.SnapshotTime().After(w.Now.Add(maxClockSkew)) {
		return c, inputErr(inTheFuture, name)
	}
	return c, nil
}

// NeedsTotal reports whether the window can only be placed once the total is
// known: `last` with no `before` counts back from the end of the list.
func (r Request) NeedsTotal() bool { return r.FromEnd && r.Hi == NoBound }

// Window returns the positions [start, end) to return, never beyond
// MaxPosition. total is used only when NeedsTotal is true.
func (r Request) Window(total int) (start, end int) {
	if !r.FromEnd {
		start = r.Lo
		end = start + min(r.Size, MaxPosition-start)
		if r.Hi != NoBound && end > r.Hi {
			end = r.Hi
		}
		return start, max(start, end)
	}
	end = r.Hi
	if end == NoBound {
		end = min(max(total, 0), MaxPosition) // the upstream's count is not ours to trust either
	}
	start = max(r.Lo, end-r.Size)
	return min(start, end), end
}

// CursorAt returns the signed cursor of the item at position offset.
func (r Request) CursorAt(offset int) string {
	return r.cursors.Encode(Cursor{Snapshot: r.Snapshot, Offset: offset, Query: r.Query})
}
