package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestLookupsKnownTogetherIgnoreTheBatchWindow: lookups a query names
// together (a nodes list, Gateway.log aliases, the configurations of the
// gateways among nodes) make one batch even when the loaders' window for
// lookups made apart is next to nothing, as it effectively is on a busy
// machine that deschedules the resolver between two of them.
func TestLookupsKnownTogetherIgnoreTheBatchWindow(t *testing.T) {
	e := newEnv(t)
	e.resolver.BatchWait = time.Nanosecond
	acc := e.sim.AccountID()

	var logIDs []string
	for _, gw := range []string{"prod-chat", "staging", "batch-jobs"} {
		for _, l := range e.sim.Logs(gw)[100:140] {
			logIDs = append(logIDs, globalid.Log(acc, gw, l.ID))
		}
	}
	e.sim.ResetRequests()
	var nodes struct{ Nodes []*struct{ LogID string } }
	e.mustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGatewayLog { logId } } }`, map[string]any{"ids": logIDs}, &nodes)
	if n := e.sim.RequestCount(); n != 3 {
		t.Errorf("120 log ids over 3 gateways: %d upstream calls, want 3:\n%s", n, strings.Join(e.calls(), "\n"))
	}
	for i, n := range nodes.Nodes {
		if n == nil {
			t.Fatalf("node %d missing", i)
		}
	}

	logs := e.sim.Logs("prod-chat")
	var aliases strings.Builder
	for i := range 20 {
		fmt.Fprintf(&aliases, "a%d: log(logId: %q) { logId } ", i, logs[i].ID)
	}
	e.sim.ResetRequests()
	e.mustDo(`{ gateway(gatewayId: "prod-chat") { `+aliases.String()+`} }`, nil, nil)
	if n := e.sim.RequestCount(); n != 1 {
		t.Errorf("20 AIGateway.log aliases: %d upstream calls, want 1:\n%s", n, strings.Join(e.calls(), "\n"))
	}

	gatewayIDs := []string{globalid.Gateway(acc, "prod-chat"), globalid.Gateway(acc, "staging"), globalid.Gateway(acc, "batch-jobs")}
	e.sim.ResetRequests()
	e.mustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGateway { gatewayId collectLogs } } }`, map[string]any{"ids": gatewayIDs}, nil)
	if n := e.sim.RequestCount(); n != 1 {
		t.Errorf("3 gateways' configurations: %d upstream calls, want 1 list call:\n%s", n, strings.Join(e.calls(), "\n"))
	}
}
