package graph_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestFilteredAnswersMatchBruteForce: the typed filters select exactly the
// logs a brute-force scan of the upstream's data selects.
func TestFilteredAnswersMatchBruteForce(t *testing.T) {
	e := newEnv(t)
	logs := e.sim.Logs("prod-chat")
	cut := logs[300].CreatedAt
	cases := []struct {
		filter string
		keep   func(l cfsim.Log) bool
	}{
		{`{provider: {eq: "openai"}}`, func(l cfsim.Log) bool { return l.Provider == "openai" }},
		{`{provider: {notIn: ["openai", "anthropic"]}, success: {eq: true}}`, func(l cfsim.Log) bool {
			return l.Provider != "openai" && l.Provider != "anthropic" && l.Success
		}},
		{`{cost: {gt: 0.001}}`, func(l cfsim.Log) bool { return l.Cost != nil && *l.Cost > 0.001 }},
		{`{tokensIn: {lt: 500}, cached: {eq: false}}`, func(l cfsim.Log) bool { return l.TokensIn != nil && *l.TokensIn < 500 && !l.Cached }},
		{`{createdAt: {lt: "` + cut.Format(time.RFC3339Nano) + `"}}`, func(l cfsim.Log) bool { return l.CreatedAt.Before(cut) }},
		{`{model: {contains: "mini"}}`, func(l cfsim.Log) bool { return strings.Contains(l.Model, "mini") }},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			e.t = t
			var want []string
			for _, l := range logs {
				if tc.keep(l) {
					want = append(want, l.ID)
				}
			}
			if len(want) == 0 || len(want) == len(logs) {
				t.Fatalf("filter keeps %d of %d logs: the case proves nothing", len(want), len(logs))
			}
			var r struct {
				Logs struct {
					TotalCount int
					Nodes      []struct{ LogID string }
				}
			}
			e.mustDo(`{ logs(gatewayId: "prod-chat", first: 200, filter: `+tc.filter+`) { totalCount nodes { logId } } }`, nil, &r)
			if r.Logs.TotalCount != len(want) {
				t.Fatalf("totalCount %d, want %d", r.Logs.TotalCount, len(want))
			}
			for i, n := range r.Logs.Nodes {
				if n.LogID != want[i] {
					t.Fatalf("log %d is %s, want %s", i, n.LogID, want[i])
				}
			}
		})
	}
}

// TestSummaryMatchesBruteForce: summary's min/max figures are the upstream's
// over the whole filtered list, with no extra call.
func TestSummaryMatchesBruteForce(t *testing.T) {
	e := newEnv(t)
	minC, maxC, minD, maxD := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, l := range e.sim.Logs("staging") {
		if l.Provider != "anthropic" {
			continue
		}
		if l.Cost != nil {
			minC, maxC = math.Min(minC, *l.Cost), math.Max(maxC, *l.Cost)
		}
		minD, maxD = math.Min(minD, float64(l.Duration)), math.Max(maxD, float64(l.Duration))
	}
	e.sim.ResetRequests()
	var r struct {
		Logs struct {
			Summary struct{ MinCost, MaxCost, MinDuration, MaxDuration float64 }
		}
	}
	e.mustDo(`{ logs(gatewayId: "staging", filter: {provider: {eq: "anthropic"}}) { summary { minCost maxCost minDuration maxDuration } } }`, nil, &r)
	s := r.Logs.Summary
	if s.MinCost != minC || s.MaxCost != maxC || s.MinDuration != minD || s.MaxDuration != maxD {
		t.Fatalf("summary %+v, want cost %v..%v duration %v..%v", s, minC, maxC, minD, maxD)
	}
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d calls", n)
	}
}

// TestLogFieldsAndRefetch: every Log field carries the upstream's value
// (metadata parsed, createdAt in milliseconds), and the global id refetches
// the same log through node.
func TestLogFieldsAndRefetch(t *testing.T) {
	e := newEnv(t)
	var withMeta cfsim.Log
	for _, l := range e.sim.Logs("prod-chat") {
		if l.Metadata != nil && l.TokensIn != nil && l.Cost != nil && l.StatusCode != nil {
			withMeta = l
			break
		}
	}
	const fields = `id logId gateway { gatewayId accountId } createdAt provider model path success cached statusCode duration tokensIn tokensOut cost metadata`
	type logOut struct {
		ID, LogID, CreatedAt, Provider, Model, Path string
		Gateway                                     struct{ GatewayID, AccountID string }
		Success, Cached                             bool
		StatusCode, Duration                        int
		TokensIn                                    *int
		Cost                                        *float64
		Metadata                                    map[string]any
	}
	var r struct{ Gateway struct{ Log logOut } }
	e.mustDo(`query($id: String!) { gateway(gatewayId: "prod-chat") { log(logId: $id) { `+fields+` } } }`, map[string]any{"id": withMeta.ID}, &r)
	got := r.Gateway.Log
	var meta map[string]any
	_ = json.Unmarshal([]byte(*withMeta.Metadata), &meta)
	if got.LogID != withMeta.ID || got.Provider != withMeta.Provider || got.Model != withMeta.Model || got.Path != withMeta.Path ||
		got.Duration != withMeta.Duration || *got.TokensIn != *withMeta.TokensIn || *got.Cost != *withMeta.Cost ||
		got.StatusCode != *withMeta.StatusCode || got.Gateway.GatewayID != "prod-chat" || got.Gateway.AccountID != e.sim.AccountID() {
		t.Fatalf("log %+v differs from upstream %+v", got, withMeta)
	}
	if want := withMeta.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"); got.CreatedAt != want {
		t.Fatalf("createdAt %q, want %q", got.CreatedAt, want)
	}
	if len(meta) == 0 || !mapsEqual(got.Metadata, meta) {
		t.Fatalf("metadata %v, want %v", got.Metadata, meta)
	}
	if got.ID != globalid.Log(e.sim.AccountID(), "prod-chat", withMeta.ID) {
		t.Fatalf("id %q is not the log's global id", got.ID)
	}
	var again struct{ Node logOut }
	e.mustDo(`query($id: ID!) { node(id: $id) { ... on AIGatewayLog { `+fields+` } } }`, map[string]any{"id": got.ID}, &again)
	if again.Node.LogID != got.LogID || again.Node.ID != got.ID {
		t.Fatalf("node(id) refetched %+v", again.Node)
	}
}

func mapsEqual(a, b map[string]any) bool {
	ka, kb := make([]string, 0), make([]string, 0)
	for k := range a {
		ka = append(ka, k)
	}
	for k := range b {
		kb = append(kb, k)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	if !slices.Equal(ka, kb) {
		return false
	}
	for k := range a {
		ja, _ := json.Marshal(a[k])
		jb, _ := json.Marshal(b[k])
		if string(ja) != string(jb) {
			return false
		}
	}
	return true
}
