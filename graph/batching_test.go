package graph_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestGatewaysFetchConcurrently: one query over three gateways makes three
// calls, and they overlap at the upstream (held there until all three are
// in; cfsim counts requests in flight).
func TestGatewaysFetchConcurrently(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	e.holdTogether(3)
	e.mustDo(`{ a: logs(gatewayId: "prod-chat", first: 3) { nodes { logId } }
		b: logs(gatewayId: "staging", first: 3) { nodes { logId } }
		c: gateway(gatewayId: "batch-jobs") { logs(first: 3) { nodes { logId } } } }`, nil, nil)
	if n := e.sim.RequestCount(); n != 3 {
		t.Fatalf("%d upstream calls, want 3", n)
	}
	if got := e.sim.MaxInFlight(); got != 3 {
		t.Fatalf("at most %d calls were in flight together, want 3", got)
	}
}

// TestWindowPagesFetchConcurrently: a window over several pages fans out.
func TestWindowPagesFetchConcurrently(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	e.holdTogether(4)
	var r struct {
		Logs struct{ Nodes []struct{ LogID string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 200) { nodes { logId } } }`, nil, &r)
	if n := e.sim.RequestCount(); n != 4 {
		t.Fatalf("%d upstream calls, want 4", n)
	}
	if got := e.sim.MaxInFlight(); got != 4 {
		t.Fatalf("at most %d calls were in flight together, want 4", got)
	}
	want := ids(e.sim.Logs("prod-chat")[:200])
	for i, n := range r.Logs.Nodes {
		if n.LogID != want[i] {
			t.Fatalf("log %d is %s, want %s", i, n.LogID, want[i])
		}
	}
}

// TestNodesBatchPerGateway: 120 log ids over three gateways cost one
// `id in [...]` call per gateway (40 ids each), made concurrently, and every
// node comes back in the order asked, including unknown ids as null.
func TestNodesBatchPerGateway(t *testing.T) {
	e := newEnv(t)
	acc := e.sim.AccountID()
	var globalIDs, wantLogIDs []string
	for _, gw := range []string{"prod-chat", "staging", "batch-jobs"} {
		for _, l := range e.sim.Logs(gw)[100:140] {
			globalIDs = append(globalIDs, globalid.Log(acc, gw, l.ID))
			wantLogIDs = append(wantLogIDs, l.ID)
		}
	}
	globalIDs = append(globalIDs, globalid.Log(acc, "staging", "01NOSUCHLOG0000000000000000"))
	e.sim.ResetRequests()
	e.holdTogether(3)
	var r struct {
		Nodes []*struct {
			LogID   string
			Gateway struct{ GatewayID string }
		}
	}
	e.mustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGatewayLog { logId gateway { gatewayId } } } }`,
		map[string]any{"ids": globalIDs}, &r)
	if n := e.sim.RequestCount(); n != 3 {
		t.Fatalf("%d upstream calls, want 3:\n%s", n, strings.Join(e.calls(), "\n"))
	}
	if got := e.sim.MaxInFlight(); got != 3 {
		t.Fatalf("at most %d id lookups were in flight together, want 3", got)
	}
	if len(r.Nodes) != len(globalIDs) {
		t.Fatalf("%d nodes, want %d", len(r.Nodes), len(globalIDs))
	}
	for i, want := range wantLogIDs {
		if r.Nodes[i] == nil || r.Nodes[i].LogID != want {
			t.Fatalf("node %d = %+v, want log %s", i, r.Nodes[i], want)
		}
	}
	if last := r.Nodes[len(r.Nodes)-1]; last != nil {
		t.Fatalf("an unknown log id gave %+v, want null", last)
	}
}

// TestNodesSplitIntoCallsOf50: 120 ids of one gateway cost ⌈120/50⌉ = 3 calls.
func TestNodesSplitIntoCallsOf50(t *testing.T) {
	e := newEnv(t)
	var globalIDs []string
	for _, l := range e.sim.Logs("prod-chat")[:120] {
		globalIDs = append(globalIDs, globalid.Log(e.sim.AccountID(), "prod-chat", l.ID))
	}
	e.sim.ResetRequests()
	var r struct{ Nodes []*struct{ LogID string } }
	e.mustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGatewayLog { logId } } }`, map[string]any{"ids": globalIDs}, &r)
	sizes := []int{}
	for _, req := range e.sim.Requests() {
		sizes = append(sizes, len(req.Filters[0].Value))
	}
	if fmt.Sprint(sizes) != "[50 50 20]" && fmt.Sprint(sizes) != "[50 20 50]" && fmt.Sprint(sizes) != "[20 50 50]" {
		t.Fatalf("id lookups of sizes %v, want 50, 50 and 20", sizes)
	}
	for i, n := range r.Nodes {
		if n == nil {
			t.Fatalf("node %d missing", i)
		}
	}
}

// TestLoadersAreNotSharedBetweenRequests: the same query twice makes its
// calls twice — nothing loaded for one request is served to another.
func TestLoadersAreNotSharedBetweenRequests(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	q := `{ logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`
	e.mustDo(q, nil, nil)
	e.mustDo(q, nil, nil)
	if n := e.sim.RequestCount(); n != 2 {
		t.Fatalf("%d upstream calls for two requests, want 2", n)
	}
}

// TestAliasesShareTheRequestSnapshot: identical aliases are one upstream
// call even when the clock moves between them: a request reads the clock
// once, so both pin the same snapshot.
func TestAliasesShareTheRequestSnapshot(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	tick := time.Now()
	e.resolver.Now = func() time.Time { // every reading is a millisecond later
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(time.Millisecond)
		return tick
	}
	e.sim.ResetRequests()
	e.mustDo(`{ a: logs(gatewayId: "prod-chat", first: 4) { nodes { logId } } b: logs(gatewayId: "prod-chat", first: 4) { nodes { logId } } }`, nil, nil)
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls for identical aliases, want 1", n)
	}
}
