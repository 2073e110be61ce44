package model

import "github.com/aigw/gqlfacade/graph/paging"

// GatewayConnection is one window of an account's gateways.
type GatewayConnection struct {
	Gateways []*Gateway
	Start    int  // position of Gateways[0]
	Total    *int // nil when the upstream does not tell
	HasNext  bool
	Req      paging.Request
}

// GatewayEdge is a gateway and its cursor.
type GatewayEdge struct {
	Cursor string
	Node   *Gateway
}

func (c *GatewayConnection) Nodes() []*Gateway { return c.Gateways }

func (c *GatewayConnection) TotalCount() *int { return c.Total }

func (c *GatewayConnection) Edges() []*GatewayEdge {
	edges := make([]*GatewayEdge, len(c.Gateways))
	for i, g := range c.Gateways {
		edges[i] = &GatewayEdge{Cursor: c.Req.CursorAt(c.Start + i), Node: g}
	}
	return edges
}

func (c *GatewayConnection) PageInfo() *PageInfo {
	p := &PageInfo{HasNextPage: c.HasNext, HasPreviousPage: c.Start > 0}
	if n := len(c.Gateways); n > 0 {
		s, e := c.Req.CursorAt(c.Start), c.Req.CursorAt(c.Start+n-1)
		p.StartCursor, p.EndCursor = &s, &e
	}
	return p
}
