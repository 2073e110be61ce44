package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// priceOf is what the cost limit charges for an operation: with no budget
// at all, every operation that costs something is refused with its price.
func (e *env) priceOf(query string) float64 {
	e.t.Helper()
	saved := e.resolver.Config.Limits
	defer func() { e.resolver.Config.Limits = saved; rebuild(e) }()
	e.resolver.Config.Limits.MaxUpstreamCalls = 0
	rebuild(e)
	errs := e.do(query, nil, nil)
	if len(errs) == 0 {
		return 0
	}
	cost, ok := errs[0].Extensions["cost"].(float64)
	if !ok {
		e.t.Fatalf("no price: %+v", errs)
	}
	return cost
}

// TestPriceBoundsTheCalls: for every shape of operation, the upstream calls
// it makes never exceed the price it was admitted at.
func TestPriceBoundsTheCalls(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 1000 })
	acct := e.sim.AccountID()
	gateways := e.sim.Gateways()
	far := gateways[len(gateways)-60:] // past the first List Gateways page of 100
	var logIDs []string
	for _, l := range e.sim.Logs("prod-chat")[:3] {
		logIDs = append(logIDs, l.ID)
	}
	repeat := func(n int, format string, args func(i int) []any) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, format, args(i)...)
		}
		return b.String() + " }"
	}
	queries := map[string]string{
		"configuration of 60 gateways the list does not hold": repeat(60, ` g%d: gateway(gatewayId: %q) { createdAt }`, func(i int) []any { return []any{i, far[i]} }),
		"configuration of 2 gateways of one account":          `{ a: gateway(gatewayId: "prod-chat") { createdAt } b: gateway(gatewayId: "staging") { cacheTtl } }`,
		"configuration through a list of logs":                `{ logs(gatewayId: "prod-chat", first: 30) { nodes { gateway { createdAt } } } }`,
		"configuration of listed gateways":                    `{ gateways(first: 100) { nodes { createdAt logs(first: 1) { totalCount } } } }`,
		"entities given as one representation, not a list":    fmt.Sprintf(`{ _entities(representations: {__typename: "AIGateway", accountId: %q, gatewayId: %q}) { ... on AIGateway { createdAt } } }`, acct, far[0]),
		"entities": fmt.Sprintf(`{ _entities(representations: [{__typename: "AIGateway", accountId: %q, gatewayId: %q}, {__typename: "AIGateway", accountId: %q, gatewayId: %q}]) { ... on AIGateway { createdAt logs(first: 60) { totalCount nodes { logId } } } } }`, acct, far[0], acct, far[1]),
		"entities by global id, of both types": fmt.Sprintf(`{ _entities(representations: [{__typename: "AIGatewayLog", id: %q}, {__typename: "AIGatewayLog", id: %q}, {__typename: "AIGateway", id: %q}]) { ... on AIGatewayLog { model requestBody } ... on AIGateway { createdAt logs(first: 3) { totalCount } } ... on Node { id } } }`,
			globalid.Log(acct, "prod-chat", logIDs[0]), globalid.Log(acct, "prod-chat", logIDs[1]), globalid.Gateway(acct, far[0])),
		"nodes given as one id, not a list":   fmt.Sprintf(`{ nodes(ids: %q) { id ... on AIGatewayLog { model } } }`, globalid.Log(acct, "prod-chat", logIDs[0])),
		"log details":                         `{ logs(gatewayId: "prod-chat", first: 20) { nodes { requestHead requestBody responseBody } } }`,
		"last without before":                 `{ logs(gatewayId: "prod-chat", last: 120) { nodes { logId } } }`,
		"by id on a gateway":                  fmt.Sprintf(`{ gateway(gatewayId: "prod-chat") { a: log(logId: %q) { model } b: log(logId: %q) { model } } }`, logIDs[1], logIDs[2]),
		"totalCount only":                     `{ logs(gatewayId: "prod-chat") { totalCount summary { maxCost } } }`,
		"walk across gateways, from the end":  `{ account { logs(gatewayIds: ["prod-chat", "staging", "batch-jobs", "gw-001"], last: 120) { totalCount nodes { logId } } } }`,
		"walk across gateways, configuration": `{ account { logs(gatewayIds: ["prod-chat", "staging"], first: 30) { nodes { gateway { createdAt } } } } }`,
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			e.t = t
			price := e.priceOf(q)
			e.resolver.Config.Limits.MaxUpstreamCalls = 1 << 20
			rebuild(e)
			e.sim.ResetRequests()
			e.mustDo(q, nil, nil)
			calls := e.sim.RequestCount()
			if calls == 0 || float64(calls) > price {
				t.Fatalf("%d upstream calls for a price of %.0f", calls, price)
			}
			t.Logf("%d upstream calls for a price of %.0f", calls, price)
		})
	}
}
