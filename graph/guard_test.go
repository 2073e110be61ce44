package graph_test

import (
	"strings"
	"testing"
)

// TestUpstreamThatIgnoresFiltersIsCaught: an upstream that answers as if no
// filter had been sent (as the live API does with the SDKs' dotted form)
// makes the field fail with UPSTREAM_ERROR, reason FILTER_NOT_APPLIED and
// the key — never the unfiltered logs — while unfiltered queries still
// answer.
func TestUpstreamThatIgnoresFiltersIsCaught(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.IgnoreFilters = true })
	var ok struct {
		Logs struct{ Nodes []struct{ LogID string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId } } }`, nil, &ok)
	if len(ok.Logs.Nodes) != 50 {
		t.Fatalf("%d logs", len(ok.Logs.Nodes))
	}

	providers := map[string]bool{}
	for _, l := range e.sim.Logs("prod-chat")[:50] {
		providers[l.Provider] = true
	}
	if len(providers) < 2 {
		t.Fatal("the first page has one provider: filtering on it proves nothing")
	}
	var one string
	for p := range providers {
		one = p
		break
	}
	var out struct {
		Logs *struct{ Nodes []struct{ Provider string } }
	}
	errs := e.do(`query($p: String) { logs(gatewayId: "prod-chat", first: 50, filter: {provider: {eq: $p}}) { nodes { provider } } }`, map[string]any{"p": one}, &out)
	expectCode(t, errs, "UPSTREAM_ERROR")
	up, _ := errs[0].Extensions["upstream"].(map[string]any)
	if up["reason"] != "FILTER_NOT_APPLIED" || up["key"] != "provider" || !strings.Contains(errs[0].Message, "provider") {
		t.Fatalf("error %+v", errs[0])
	}
	if out.Logs != nil {
		t.Fatalf("logs returned despite the guard: %+v", out.Logs)
	}

	// The walk's snapshot is a filter too: logs that arrive during a walk
	// and come back on its next page are caught.
	var first struct {
		Logs struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(`{ logs(gatewayId: "staging", first: 2) { pageInfo { endCursor } } }`, nil, &first)
	e.sim.Append("staging", 5)
	errs = e.do(`query($c: String) { logs(gatewayId: "staging", first: 2, after: $c) { nodes { logId } } }`, map[string]any{"c": first.Logs.PageInfo.EndCursor}, nil)
	expectCode(t, errs, "UPSTREAM_ERROR")
	if up, _ := errs[0].Extensions["upstream"].(map[string]any); up["key"] != "created_at" {
		t.Fatalf("error %+v, want the snapshot bound (created_at) named", errs[0])
	}
}
