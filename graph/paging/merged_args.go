package paging

import (
	"errors"
	"slices"
	"time"
)

// MergedRequest is a validated paging request of a walk across gateways.
// Its window is not a range of merged positions given in advance: the merge
// decides how many items each gateway gives. What the request fixes is, for
// each gateway, where the window may begin and end in that gateway's own
// list (Gateway), once the walk's gateways are known (Bind).
type MergedRequest struct {
	Snapshot int64     // exclusive created_at bound, Unix milliseconds
	Query    QueryHash // the account, filter, order and search
	Size     int       // how many items to return at most
	FromEnd  bool      // `last`: the Size items just before the `before` bound (or the end)

	after, before *MergedCursor
	set           QueryHash
	lo, hi        []int // per gateway; hi is nil without `before`
	cursors       *Signer
}

// ParseMerged validates the Relay arguments of a walk across at most
// maxGateways gateways: sizes as Parse does, and cursors signed, of this
// query and of one walk. Whether they belong to the walk's gateways is
// checked by Bind, once those are known.
func ParseMerged(a Args, lim Limits, w Walk, maxGateways int) (MergedRequest, error) {
	r := MergedRequest{Query: w.Query, Snapshot: w.Snapshot.UnixMilli(), cursors: w.Cursors}
	var err error
	if r.Size, r.FromEnd, err = parseSize(a, lim); err != nil {
		return r, err
	}
	if a.After != nil {
		c, err := checkMerged("after", *a.After, w, maxGateways)
		if err != nil {
			return r, err
		}
		r.after, r.Snapshot = &c, c.Snapshot
	}
	if a.Before != nil {
		c, err := checkMerged("before", *a.Before, w, maxGateways)
		if err != nil {
			return r, err
		}
		if r.after != nil && r.after.Snapshot != c.Snapshot {
			return r, inputErr("after and before come from different walks through the list")
		}
		r.before, r.Snapshot = &c, c.Snapshot
	}
	return r, nil
}

func checkMerged(name, s string, w Walk, maxGateways int) (MergedCursor, error) {
	c, err := w.Cursors.DecodeMerged(s, maxGateways)
	switch {
	case errors.Is(err, ErrOtherKind):
		return c, inputErr("%s is a cursor of one gateway's logs, not of a walk across gateways", name)
	case err != nil:
		return c, inputErr(notOurCursor, name)
	case c.Query != w.Query:
		return c, inputErr("%s is a cursor of another query (account, filter, order or search differ)", name)
	case c.SnapshotTime().After(w.Now.Add(maxClockSkew)):
		return c, inputErr(inTheFuture, name)
	}
	return c, nil
}

// SnapshotTime returns the snapshot bound as a time.
func (c MergedCursor) SnapshotTime() time.Time { return time.UnixMilli(c.Snapshot).UTC() }

// Bind checks the cursors against the walk's gateways (set identifies
// them, n is how many there are) and places the window's bounds in each.
func (r *MergedRequest) Bind(set QueryHash, n int) error {
	r.set = set
	r.lo, r.hi = make([]int, n), nil
	for _, c := range []struct {
		name string
		c    *MergedCursor
	}{{"after", r.after}, {"before", r.before}} {
		if c.c != nil && (c.c.Set != set || len(c.c.Before) != n) {
			return inputErr("%s is a cursor of another set of gateways: gatewayIds differ, or the account's gateways changed since the walk began; start the walk again from the first page", c.name)
		}
	}
	if r.after != nil {
		copy(r.lo, r.after.Before)
		r.lo[r.after.Gateway]++ // ≤ MaxPosition: each offset is at most MaxOffset
	}
	if r.before != nil {
		r.hi = slices.Clone(r.before.Before)
	}
	return nil
}

// HasBefore reports whether the window is bounded by a `before` cursor:
// then a log comes after it (the cursor's own), whatever the totals.
func (r MergedRequest) HasBefore() bool { return r.before != nil }

// Gateway is the request's part in the list of the i-th gateway of the
// set: the same size and direction, bounded by where the cursors stand in
// that list. Its Window and NeedsTotal apply as for a single gateway.
func (r MergedRequest) Gateway(i int) Request {
	g := Request{Snapshot: r.Snapshot, Query: r.Query, Lo: r.lo[i], Hi: NoBound, Size: r.Size, FromEnd: r.FromEnd}
	if r.hi != nil {
		g.Hi = r.hi[i]
	}
	return g
}

// CursorAt returns the signed cursor of an item of the gateway with index
// gateway, before which come before[i] items of each gateway i.
func (r MergedRequest) CursorAt(gateway int, before []int) string {
	return r.cursors.EncodeMerged(MergedCursor{Snapshot: r.Snapshot, Query: r.Query, Set: r.set, Gateway: gateway, Before: before})
}
