package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestGatewayConfigIsLazy: a gateway costs nothing until a configuration
// field is selected; then one GET, shared by all its configuration fields.
func TestGatewayConfigIsLazy(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	e.mustDo(`{ gateway(gatewayId: "prod-chat") { id gatewayId } }`, nil, nil)
	e.expectCalls()
	var r struct {
		Gateway struct {
			CreatedAt   string
			CollectLogs *bool
			CacheTtl    *int
			IsDefault   *bool
		}
	}
	e.mustDo(`{ gateway(gatewayId: "prod-chat") { createdAt collectLogs cacheTtl isDefault rateLimitingLimit dlp guardrails } }`, nil, &r)
	if e.sim.RequestCount() != 1 || e.sim.Requests()[0].GatewayID != "" && !strings.HasSuffix(e.sim.Requests()[0].Path, "/gateways/prod-chat") {
		t.Fatalf("calls: %v", e.calls())
	}
	if r.Gateway.CreatedAt == "" || r.Gateway.CollectLogs == nil {
		t.Fatalf("configuration missing: %+v", r.Gateway)
	}
}

// TestManyGatewaysOneListCall: several gateways' configurations in one
// request cost one List Gateways call, not one GET each. A gateway the
// list does not hold is then looked up by GET — a list without a total
// (List Gateways' spec documents none) does not prove it missing — unless
// the list's total says it holds them all.
func TestManyGatewaysOneListCall(t *testing.T) {
	for _, withInfo := range []bool{false, true} {
		e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.GatewaysWithResultInfo = withInfo })
		acc := e.sim.AccountID()
		ids := []string{globalid.Gateway(acc, "prod-chat"), globalid.Gateway(acc, "staging"), globalid.Gateway(acc, "batch-jobs"), globalid.Gateway(acc, "no-such")}
		e.sim.ResetRequests()
		var r struct {
			Nodes []struct {
				GatewayID   string
				CollectLogs *bool
			}
		}
		errs := e.do(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGateway { gatewayId collectLogs } } }`, map[string]any{"ids": ids}, &r)
		want := []string{listGatewaysCall(1, 100)}
		if !withInfo {
			want = append(want, "no-such")
		}
		e.expectCalls(want...)
		if len(errs) != 1 || errs[0].code() != "NOT_FOUND" {
			t.Fatalf("errors %+v, want NOT_FOUND for the unknown gateway only", errs)
		}
		for _, n := range r.Nodes[:3] {
			if n.CollectLogs == nil {
				t.Fatalf("gateway %s has no configuration", n.GatewayID)
			}
		}
	}
}

// TestGatewaysConnection pages through an account's gateways with page
// sizes up to 100, and its configuration fields need no extra call.
// totalCount is null, as List Gateways' spec documents no total, unless the
// upstream sends one.
func TestGatewaysConnection(t *testing.T) {
	for _, withInfo := range []bool{false, true} {
		t.Run(fmt.Sprintf("result_info %v", withInfo), func(t *testing.T) { testGatewaysConnection(t, withInfo) })
	}
}

func testGatewaysConnection(t *testing.T, withInfo bool) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways, o.GatewaysWithResultInfo = 130, withInfo })
	total := len(e.sim.Gateways())
	var seen []string
	var cursor any
	for step := 0; ; step++ {
		e.sim.ResetRequests()
		var r struct {
			Gateways struct {
				TotalCount *int
				Nodes      []struct {
					GatewayID   string
					CollectLogs *bool
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		e.mustDo(`query($c: String) { gateways(first: 60, after: $c) { totalCount nodes { gatewayId collectLogs } pageInfo { hasNextPage endCursor } } }`, map[string]any{"c": cursor}, &r)
		if n := e.sim.RequestCount(); n != 1 {
			t.Fatalf("step %d: %d calls, want 1 (configuration primed by the list)", step, n)
		}
		if withInfo && (r.Gateways.TotalCount == nil || *r.Gateways.TotalCount != total) || !withInfo && r.Gateways.TotalCount != nil {
			t.Fatalf("totalCount %v, want %d told by result_info %v", r.Gateways.TotalCount, total, withInfo)
		}
		for _, n := range r.Gateways.Nodes {
			seen = append(seen, n.GatewayID)
		}
		if !r.Gateways.PageInfo.HasNextPage {
			break
		}
		cursor = *r.Gateways.PageInfo.EndCursor
	}
	if len(seen) != total || fmt.Sprint(seen[:3]) == "" {
		t.Fatalf("walk saw %d gateways, want %d", len(seen), total)
	}
	uniq := map[string]bool{}
	for _, g := range seen {
		uniq[g] = true
	}
	if len(uniq) != total {
		t.Fatalf("%d distinct gateways in a walk of %d", len(uniq), len(seen))
	}
	_ = cfsim.DemoToken
}

// TestEntitiesResolveTogether: a federated gateway's `_entities` call with
// several Gateway representations costs nothing by itself, and their
// configuration fields cost one List Gateways call together.
func TestEntitiesResolveTogether(t *testing.T) {
	e := newEnv(t)
	acc := e.sim.AccountID()
	reps := []map[string]any{}
	for _, gw := range []string{"prod-chat", "staging", "batch-jobs"} {
		reps = append(reps, map[string]any{"__typename": "AIGateway", "accountId": acc, "gatewayId": gw})
	}
	q := `query($r: [_Any!]!) { _entities(representations: $r) { ... on AIGateway { id gatewayId %s } } }`
	e.sim.ResetRequests()
	var r struct {
		Entities []struct{ GatewayID string } `json:"_entities"`
	}
	e.mustDo(fmt.Sprintf(q, ""), map[string]any{"r": reps}, &r)
	if len(r.Entities) != 3 || r.Entities[2].GatewayID != "batch-jobs" || e.sim.RequestCount() != 0 {
		t.Fatalf("entities %+v with %d calls", r.Entities, e.sim.RequestCount())
	}
	e.mustDo(fmt.Sprintf(q, "collectLogs cacheTtl"), map[string]any{"r": reps}, nil)
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls for three entities' configuration, want 1", n)
	}
}
