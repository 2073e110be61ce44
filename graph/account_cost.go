package graph

import (
	"fmt"
	"math"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// walkLimit is the most gateways one walk merges under cfg.
func walkLimit(cfg Config) int {
	if cfg.MaxWalkGateways > 0 {
		return cfg.MaxWalkGateways
	}
	return DefaultConfig().MaxWalkGateways
}

// walkPrice is the price of one walk across gateways, kept to tell a client
// whose operation is too expensive how many gateways would fit.
type walkPrice struct {
	perGateway float64 // calls of one gateway's part, times the times the field is reached
	gateways   float64 // the gateways priced
}

// walkCalls bounds the calls of AIGatewayAccount.logs: each gateway's part
// costs what that gateway's own logs connection with the same arguments
// costs (its pages, one more when the window may be unaligned, the probe of
// `last`); without gatewayIds the account's gateways are first listed, and
// as many are priced as one walk may merge. More gatewayIds than that, or
// none, are refused before any call: they are priced at the limit.
func (w *costWalker) walkCalls(args map[string]any) (perGateway, gateways, listing float64) {
	limit := walkLimit(w.cfg)
	perGateway = w.connectionCalls(args)
	if ids, given := args["gatewayIds"]; given && ids != nil {
		return perGateway, float64(min(len(asList(ids)), limit)), 0
	}
	return perGateway, float64(limit), float64(len(accountGatewayPages(limit)))
}

// noteWalk keeps the walk whose gateways cost the most.
func (w *costWalker) noteWalk(perGateway, gateways float64) {
	if w.walk == nil || perGateway*gateways > w.walk.perGateway*w.walk.gateways {
		w.walk = &walkPrice{perGateway: perGateway, gateways: gateways}
	}
}

// explainWalk adds to a QUERY_TOO_EXPENSIVE error how many of the priced
// walk's gateways fit in the limit, the rest of the operation unchanged.
func (w *costWalker) explainWalk(e *gqlerror.Error, cost float64) {
	p := w.walk
	if p == nil || p.perGateway <= 0 || p.gateways <= 0 {
		return
	}
	rest := cost - p.perGateway*p.gateways
	fit := math.Max(0, math.Min(p.gateways-1, math.Floor((float64(w.limits.MaxUpstreamCalls)-rest)/p.perGateway)))
	e.Message += fmt.Sprintf("; a walk across gateways (AIGatewayAccount.logs) may need %.0f calls for each of its %.0f gateways, so %.0f of them fit: pass fewer gatewayIds, or a smaller first or last", p.perGateway, p.gateways, fit)
	e.Extensions["walkGateways"] = p.gateways
	e.Extensions["walkCallsPerGateway"] = p.perGateway
	e.Extensions["walkGatewaysThatFit"] = fit
}
