package model

import (
	"slices"

	"github.com/aigw/gqlfacade/graph/paging"
)

// MergedWindow is what a window of a walk across gateways needs to write
// its cursors: each holds a position in every gateway's list, not one
// offset, so the connection's cursors are made here.
type MergedWindow struct {
	Req    paging.MergedRequest
	Before []int // per gateway, how many of its logs come before the window
	From   []int // per log of the window, in order, the index of its gateway
}

// cursors returns the cursors of the window's logs i for which want(i).
// The position vector is carried along the window rather than recounted
// for each log.
func (w *MergedWindow) cursors(want func(i int) bool) []string {
	out := make([]string, len(w.From))
	pos := slices.Clone(w.Before)
	for i, g := range w.From {
		if want(i) {
			out[i] = w.Req.CursorAt(g, pos)
		}
		pos[g]++
	}
	return out
}

// bounded reports whether the window ends at a `before` cursor, whose log
// comes after it: a walk does not fetch the totals of gateways whose part
// of such a window is empty (unless totalCount or summary is selected), so
// page info cannot rely on the total.
func (w *MergedWindow) bounded() bool { return w != nil && w.Req.HasBefore() }

func (c *LogConnection) mergedEdges() []*LogEdge {
	cursors := c.Merged.cursors(func(int) bool { return true })
	backing := make([]LogEdge, len(c.Logs))
	edges := make([]*LogEdge, len(c.Logs))
	for i, l := range c.Logs {
		backing[i] = LogEdge{Cursor: cursors[i], Node: l}
		edges[i] = &backing[i]
	}
	return edges
}

// endCursors returns the cursors of the window's first and last logs.
func (c *LogConnection) endCursors() (start, end string) {
	n := len(c.Logs)
	if c.Merged == nil {
		return c.Req.CursorAt(c.Start), c.Req.CursorAt(c.Start + n - 1)
	}
	cursors := c.Merged.cursors(func(i int) bool { return i == 0 || i == n-1 })
	return cursors[0], cursors[n-1]
}
