package model

import (
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// LogConnection is one window of a query's logs. Edges, cursors and page
// info are derived on demand from the window's position, so a client that
// selects only `nodes` pays for no cursor.
type LogConnection struct {
	Logs  []*Log
	Start int // position of Logs[0] in the snapshot's order
	Total int
	Info  restclient.ResultInfo
	Req   paging.Request
	// Merged is set for a walk across gateways, whose cursors are not
	// offsets; Start and Total then count the merged list.
	Merged *MergedWindow
}

// LogEdge is a log and its cursor.
type LogEdge struct {
	Cursor string
	Node   *Log
}

// PageInfo says where a window sits in the whole list.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

func (c *LogConnection) Nodes() []*Log { return c.Logs }

func (c *LogConnection) TotalCount() int { return c.Total }

func (c *LogConnection) Edges() []*LogEdge {
	if c.Merged != nil {
		return c.mergedEdges()
	}
	// One backing array for the edges rather than an allocation each.
	backing := make([]LogEdge, len(c.Logs))
	edges := make([]*LogEdge, len(c.Logs))
	for i, l := range c.Logs {
		backing[i] = LogEdge{Cursor: c.CursorOf(i), Node: l}
		edges[i] = &backing[i]
	}
	return edges
}

// CursorOf is the cursor of the window's log i, for a window of one
// gateway's logs (a walk's cursors come from Edges only).
func (c *LogConnection) CursorOf(i int) string { return c.Req.CursorAt(c.Start + i) }

// PageInfo answers exactly: logs exist after the window when its end is
// before the total, and before it when it does not start at the beginning.
func (c *LogConnection) PageInfo() *PageInfo {
	end := c.Start + len(c.Logs)
	p := &PageInfo{HasNextPage: end < c.Total || c.Merged.bounded(), HasPreviousPage: c.Start > 0 && (c.Total > 0 || c.Merged.bounded())}
	if len(c.Logs) > 0 {
		s, e := c.endCursors()
		p.StartCursor, p.EndCursor = &s, &e
	}
	return p
}

// LogSummary holds the upstream's min/max figures over the whole query.
type LogSummary struct {
	MinCost, MaxCost               *float64
	MinDuration, MaxDuration       *float64
	MinTokensIn, MaxTokensIn       *float64
	MinTokensOut, MaxTokensOut     *float64
	MinTotalTokens, MaxTotalTokens *float64
}

func (c *LogConnection) Summary() *LogSummary {
	i := c.Info
	return &LogSummary{
		MinCost: i.MinCost, MaxCost: i.MaxCost,
		MinDuration: i.MinDuration, MaxDuration: i.MaxDuration,
		MinTokensIn: i.MinTokensIn, MaxTokensIn: i.MaxTokensIn,
		MinTokensOut: i.MinTokensOut, MaxTokensOut: i.MaxTokensOut,
		MinTotalTokens: i.MinTotalTokens, MaxTotalTokens: i.MaxTotalTokens,
	}
}
