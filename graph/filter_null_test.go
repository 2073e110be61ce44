package graph_test

import (
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

// allLogIDs walks a logs query to its end, 200 at a time, and returns the
// ids in order and the totalCount the first page gave.
func (e *env) allLogIDs(gateway string, filter map[string]any) ([]string, int) {
	e.t.Helper()
	var ids []string
	total := -1
	var after any
	for {
		var r struct {
			Logs struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []struct{ LogID string }
			}
		}
		e.mustDo(`query($g: ID!, $f: AIGatewayLogFilter, $after: String) {
			logs(gatewayId: $g, first: 200, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } nodes { logId } }
		}`, map[string]any{"g": gateway, "f": filter, "after": after}, &r)
		if total < 0 {
			total = r.Logs.TotalCount
		}
		for _, n := range r.Logs.Nodes {
			ids = append(ids, n.LogID)
		}
		if !r.Logs.PageInfo.HasNextPage {
			return ids, total
		}
		after = r.Logs.PageInfo.EndCursor
	}
}

// idsWhere is the ids of the simulator's logs (newest first, the default
// order) that pred selects.
func idsWhere(logs []cfsim.Log, pred func(l cfsim.Log) bool) []string {
	ids := []string{}
	for _, l := range logs {
		if pred(l) {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

// TestIsNullAsksForNoValue: `isNull: true` returns exactly the logs without
// a model type and `isNull: false` exactly those with one, checked against
// the simulator's data, alone and combined with other operators; the
// upstream is asked with a JSON null (eq / neq).
func TestIsNullAsksForNoValue(t *testing.T) {
	e := newEnv(t)
	logs := e.sim.Logs("prod-chat")
	without := idsWhere(logs, func(l cfsim.Log) bool { return l.ModelType == nil })
	with := idsWhere(logs, func(l cfsim.Log) bool { return l.ModelType != nil })
	if len(without) == 0 || len(with) == 0 {
		t.Fatalf("%d logs without a model type, %d with: the test proves nothing", len(without), len(with))
	}
	provider := logs[slices.IndexFunc(logs, func(l cfsim.Log) bool { return l.ModelType == nil })].Provider
	cases := []struct {
		name   string
		filter map[string]any
		want   []string // nil: nothing matches
	}{
		{"isNull true", map[string]any{"modelType": map[string]any{"isNull": true}}, without},
		{"isNull false", map[string]any{"modelType": map[string]any{"isNull": false}}, with},
		{"isNull false and neq", map[string]any{"modelType": map[string]any{"isNull": false, "neq": "chat"}},
			idsWhere(logs, func(l cfsim.Log) bool { return l.ModelType != nil && *l.ModelType != "chat" })},
		{"isNull true and eq: nothing", map[string]any{"modelType": map[string]any{"isNull": true, "eq": "chat"}}, nil},
		{"isNull true and another field", map[string]any{"modelType": map[string]any{"isNull": true}, "provider": map[string]any{"eq": provider}},
			idsWhere(logs, func(l cfsim.Log) bool { return l.ModelType == nil && l.Provider == provider })},
		{"isNull on a field every log has", map[string]any{"provider": map[string]any{"isNull": true}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			if c.want != nil && len(c.want) == 0 {
				t.Fatal("the data has no such log: the case proves nothing")
			}
			got, total := e.allLogIDs("prod-chat", c.filter)
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Fatalf("got %d logs (totalCount %d), want %d", len(got), total, len(c.want))
			}
		})
	}

	e.t = t
	e.sim.ResetRequests()
	e.allLogIDs("prod-chat", map[string]any{"modelType": map[string]any{"isNull": true}})
	sent := e.sim.Requests()[0].Filters
	if !slices.ContainsFunc(sent, func(f cfsim.Filter) bool {
		return f.Key == "model_type" && f.Operator == "eq" && len(f.Value) == 1 && f.Value[0] == nil
	}) {
		t.Fatalf("filters sent %+v, want model_type eq [null]", sent)
	}
}

// TestIsNullGivenAsNullAsksNothing: `isNull: null` (a literal or a
// variable) is "not given", never "no value".
func TestIsNullGivenAsNullAsksNothing(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.LogsPerGateway = 150 })
	all, _ := e.allLogIDs("staging", nil)
	got, _ := e.allLogIDs("staging", map[string]any{"modelType": map[string]any{"isNull": nil}})
	if len(all) != 150 || !slices.Equal(got, all) {
		t.Fatalf("isNull: null gave %d logs, all are %d", len(got), len(all))
	}
}

// TestIsNullUpstreamThatIgnoresItIsCaught: an upstream answering eq null
// with logs that have a model type is refused by the response guard.
func TestIsNullUpstreamThatIgnoresItIsCaught(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.IgnoreFilters = true })
	errs := e.do(`{ logs(gatewayId: "prod-chat", first: 50, filter: {modelType: {isNull: true}}) { nodes { logId } } }`, nil, nil)
	expectCode(t, errs, "UPSTREAM_ERROR")
	if up, _ := errs[0].Extensions["upstream"].(map[string]any); up["reason"] != "FILTER_NOT_APPLIED" || up["key"] != "model_type" {
		t.Fatalf("error %+v", errs[0])
	}
}
