package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestCostIsPricedBeforeExecution: the price bounds the calls an operation
// can make; lists multiply what is nested in them; an operation over the
// budget is refused whole, before any call, and says what it would cost.
func TestCostIsPricedBeforeExecution(t *testing.T) {
	e := newEnv(t)
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: %s", i, field)
		}
		return b.String() + " }"
	}
	budget := e.resolver.Config.Limits.MaxUpstreamCalls // 60
	allowed := []string{
		aliases(budget/4, `logs(gatewayId: "prod-chat", first: 200) { nodes { logId } }`), // 4 calls each
		`{ logs(gatewayId: "prod-chat", first: 49) { nodes { gateway { gatewayId } } } }`,
		`{ logs(gatewayId: "prod-chat", first: 50) { nodes { requestHead responseHead requestSize } } }`,                                           // 1 + 50: detail fields share a call
		`{ logs(gatewayId: "prod-chat", first: 20) { edges { node { gateway { a: log(logId: "x") { model } b: log(logId: "y") { model } } } } } }`, // 1 + 20 × 2
	}
	refused := []string{
		aliases(budget/4+1, `logs(gatewayId: "prod-chat", first: 200) { nodes { logId } }`),
		`{ logs(gatewayId: "prod-chat", first: 60) { nodes { gateway { logs(first: 1) { totalCount } } } } }`, // 2 + 60
		`{ logs(gatewayId: "prod-chat", first: 50) { nodes { requestHead requestBody responseBody } } }`,      // 1 + 3 × 50
	}
	for _, q := range allowed {
		e.sim.ResetRequests()
		e.mustDo(q, nil, nil)
	}
	for _, q := range refused {
		e.sim.ResetRequests()
		errs := e.do(q, nil, nil)
		expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
		if errs[0].Extensions["maxCost"] != float64(budget) || errs[0].Extensions["cost"].(float64) <= float64(budget) {
			t.Fatalf("extensions %v", errs[0].Extensions)
		}
		if n := e.sim.RequestCount(); n != 0 {
			t.Fatalf("%d upstream calls for a refused operation", n)
		}
	}
}

// TestIntrospectionCanBeTurnedOff for production deployments.
func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	on := newEnv(t)
	on.mustDo(`{ __schema { queryType { name } } }`, nil, nil)
	off := newEnv(t, func(c *graphConfig, _ *cfsimOptions) { c.Introspection = false })
	if errs := off.do(`{ __schema { queryType { name } } }`, nil, nil); len(errs) == 0 {
		t.Fatal("introspection answered while turned off")
	}
	off.mustDo(`{ gateway(gatewayId: "prod-chat") { gatewayId } }`, nil, nil)
}

// TestIntrospectionIsNotPriced: the standard introspection query nests
// deeper than data queries may, and costs nothing upstream.
func TestIntrospectionIsNotPriced(t *testing.T) {
	e := newEnv(t)
	e.resolver.Config.Limits.MaxDepth = 3
	rebuild(e)
	e.sim.ResetRequests()
	e.mustDo(`{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }`, nil, nil)
	expectCode(t, e.do(`{ logs(gatewayId: "prod-chat") { nodes { gateway { logs { totalCount } } } } }`, nil, nil), "QUERY_TOO_EXPENSIVE")
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
}
