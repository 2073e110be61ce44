package model

import "github.com/aigw/gqlfacade/graph/globalid"

// Gateway is an AI Gateway of an account. It is only a pair of ids: making
// one costs no upstream call, which is what lets federation resolve the
// entity for free and lets `Query.gateway` answer before any log is fetched.
type Gateway struct {
	AccountID string
	GatewayID string
}

// IsNode marks Gateway as an implementation of the Node interface.
func (Gateway) IsNode() {}

// ID is the global, opaque id of the gateway.
func (g *Gateway) ID() string { return globalid.Gateway(g.AccountID, g.GatewayID) }

// IsEntity marks Gateway as an Apollo Federation entity.
func (Gateway) IsEntity() {}
