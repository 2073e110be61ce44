package graph_test

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

const deleteMutation = `mutation($g: ID!, $f: AIGatewayLogFilter, $all: Boolean, $limit: Int, $o: AIGatewayLogOrder) {
	deleteLogs(gatewayId: $g, filter: $f, all: $all, limit: $limit, orderBy: $o) { success } }`

type deleteAnswer struct {
	DeleteLogs *struct{ Success bool }
}

// idsExcept is the ids of the logs gone does not select, in order.
func idsExcept(logs []cfsim.Log, gone func(l cfsim.Log) bool) []string {
	return idsWhere(logs, func(l cfsim.Log) bool { return !gone(l) })
}

func simIDs(logs []cfsim.Log) []string {
	return idsWhere(logs, func(cfsim.Log) bool { return true })
}

// TestDeleteLogsDeletesWhatTheFilterSelects: exactly the logs the filter
// selects are deleted, with one DELETE carrying the filter, the limit and
// the order (oldest first when none is given); the answer is Cloudflare's
// success; later queries no longer see them.
func TestDeleteLogsDeletesWhatTheFilterSelects(t *testing.T) {
	e := newEnv(t)
	before := e.sim.Logs("staging")
	provider := before[0].Provider
	doomed := func(l cfsim.Log) bool { return l.Provider == provider && !l.Success }
	want := idsExcept(before, doomed)
	if len(want) == len(before) || len(want) == 0 {
		t.Fatal("the filter selects no log or all: the test proves nothing")
	}
	e.sim.ResetRequests()
	var r deleteAnswer
	e.mustDo(deleteMutation, map[string]any{"g": "staging", "f": map[string]any{"provider": map[string]any{"eq": provider}, "success": map[string]any{"eq": false}}}, &r)
	if r.DeleteLogs == nil || !r.DeleteLogs.Success {
		t.Fatalf("answer %+v", r.DeleteLogs)
	}
	reqs := e.sim.Requests()
	if len(reqs) != 1 || reqs[0].Method != "DELETE" {
		t.Fatalf("calls %v", e.calls())
	}
	q, _ := url.ParseQuery(reqs[0].RawQuery)
	if q.Get("limit") != "10000" || q.Get("order_by") != "created_at" || q.Get("order_by_direction") != "asc" ||
		q.Get("filters") != `[{"key":"success","operator":"eq","value":[false]},{"key":"provider","operator":"eq","value":["`+provider+`"]}]` {
		t.Fatalf("DELETE ?%s", reqs[0].RawQuery)
	}
	if got := simIDs(e.sim.Logs("staging")); !slices.Equal(got, want) {
		t.Fatalf("%d logs left, want %d", len(got), len(want))
	}
	if got, total := e.allLogIDs("staging", nil); total != len(want) || !slices.Equal(got, want) {
		t.Fatalf("logs answers %d (totalCount %d) after the delete, want %d", len(got), total, len(want))
	}
	if n := len(e.sim.Logs("prod-chat")); n != 600 {
		t.Fatalf("another gateway lost logs: %d", n)
	}
}

// TestDeleteLogsLimitAndOrder: limit cuts the selected logs in orderBy's
// order — oldest first when orderBy is not given, newest first with
// orderBy {field: CREATED_AT} (LogOrder's own default direction).
func TestDeleteLogsLimitAndOrder(t *testing.T) {
	e := newEnv(t)
	model := e.sim.Logs("batch-jobs")[0].Model
	filter := map[string]any{"model": map[string]any{"eq": model}}
	matching := func() []cfsim.Log {
		var out []cfsim.Log
		for _, l := range e.sim.Logs("batch-jobs") {
			if l.Model == model {
				out = append(out, l)
			}
		}
		sort.Slice(out, func(i, j int) bool { // oldest first; ids break ties
			if c := out[i].CreatedAt.Compare(out[j].CreatedAt); c != 0 {
				return c < 0
			}
			return out[i].ID < out[j].ID
		})
		return out
	}
	if len(matching()) < 10 {
		t.Fatal("too few logs of one model")
	}

	oldest := matching()[:3]
	before := e.sim.Logs("batch-jobs")
	e.mustDo(deleteMutation, map[string]any{"g": "batch-jobs", "f": filter, "limit": 3}, nil)
	want := idsExcept(before, func(l cfsim.Log) bool {
		return slices.ContainsFunc(oldest, func(o cfsim.Log) bool { return o.ID == l.ID })
	})
	if got := simIDs(e.sim.Logs("batch-jobs")); !slices.Equal(got, want) {
		t.Fatalf("limit 3, no order: %d left, want %d without the 3 oldest", len(got), len(want))
	}

	m := matching()
	newest := m[len(m)-4:]
	before = e.sim.Logs("batch-jobs")
	e.mustDo(deleteMutation, map[string]any{"g": "batch-jobs", "f": filter, "limit": 4, "o": map[string]any{"field": "CREATED_AT"}}, nil)
	want = idsExcept(before, func(l cfsim.Log) bool {
		return slices.ContainsFunc(newest, func(o cfsim.Log) bool { return o.ID == l.ID })
	})
	if got := simIDs(e.sim.Logs("batch-jobs")); !slices.Equal(got, want) {
		t.Fatalf("limit 4, newest first: %d left, want %d without the 4 newest", len(got), len(want))
	}
}

// TestDeleteLogsRefusesAnEmptyFilter: no filter, a filter that sets no
// condition, all: false, all with a filter, and a limit outside 1–10000
// are BAD_USER_INPUT, and no upstream call is made.
func TestDeleteLogsRefusesAnEmptyFilter(t *testing.T) {
	e := newEnv(t)
	for name, vars := range map[string]map[string]any{
		"no filter":               {"g": "staging"},
		"null filter":             {"g": "staging", "f": nil},
		"empty filter":            {"g": "staging", "f": map[string]any{}},
		"filter with no operator": {"g": "staging", "f": map[string]any{"provider": map[string]any{}}},
		"all false":               {"g": "staging", "all": false},
		"all null":                {"g": "staging", "all": nil},
		"all with a filter":       {"g": "staging", "all": true, "f": map[string]any{"provider": map[string]any{"eq": "openai"}}},
		"limit 0":                 {"g": "staging", "all": true, "limit": 0},
		"limit 10001":             {"g": "staging", "all": true, "limit": 10001},
		"a bad gateway id":        {"g": "a/b", "all": true},
	} {
		t.Run(name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			var r deleteAnswer
			errs := e.do(deleteMutation, vars, &r)
			expectCode(t, errs, "BAD_USER_INPUT")
			if r.DeleteLogs != nil || e.sim.RequestCount() != 0 {
				t.Fatalf("answer %+v after %d upstream calls", r.DeleteLogs, e.sim.RequestCount())
			}
		})
	}
	e.t = t
	if n := len(e.sim.Logs("staging")); n != 600 {
		t.Fatalf("%d logs left", n)
	}
	if !strings.Contains(e.do(deleteMutation, map[string]any{"g": "staging"}, nil)[0].Message, "all: true") {
		t.Error("the refusal does not say how to delete every log")
	}
}

// TestDeleteLogsAll: all: true deletes every log of the gateway.
func TestDeleteLogsAll(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	var r deleteAnswer
	e.mustDo(deleteMutation, map[string]any{"g": "staging", "all": true}, &r)
	if r.DeleteLogs == nil || !r.DeleteLogs.Success {
		t.Fatalf("answer %+v", r.DeleteLogs)
	}
	if q, _ := url.ParseQuery(e.sim.Requests()[0].RawQuery); q.Has("filters") {
		t.Fatalf("all: true sent filters: %v", q)
	}
	if n := len(e.sim.Logs("staging")); n != 0 {
		t.Fatalf("%d logs left", n)
	}
	if _, total := e.allLogIDs("staging", nil); total != 0 {
		t.Fatalf("totalCount %d after deleting all", total)
	}
}

// TestDeleteLogsWithAReadOnlyToken: FORBIDDEN naming the Write permission,
// and nothing is deleted.
func TestDeleteLogsWithAReadOnlyToken(t *testing.T) {
	e := newEnv(t, withoutServerToken(), func(_ *graphConfig, o *cfsimOptions) { o.ReadOnlyTokens = []string{"reader"} })
	errs := e.do(deleteMutation, map[string]any{"g": "staging", "all": true}, nil, bearer("reader"))
	expectCode(t, errs, "FORBIDDEN")
	if !strings.Contains(errs[0].Message, "Write permission") {
		t.Fatalf("message %q does not name the permission", errs[0].Message)
	}
	if n := len(e.sim.Logs("staging")); n != 600 {
		t.Fatalf("%d logs left after a refused delete", n)
	}
}

// TestDeleteLogsIsPricedAtOneCall: the DELETE is the one call; a failed one
// is not retried.
func TestDeleteLogsIsPricedAtOneCall(t *testing.T) {
	e := newEnv(t)
	q := `mutation { deleteLogs(gatewayId: "staging", all: true, limit: 1) { success } }`
	if price := e.priceOf(q); price != 1 {
		t.Fatalf("price %v, want 1", price)
	}
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: 503, Times: 3})
	e.sim.ResetRequests()
	expectCode(t, e.do(q, nil, nil), "UPSTREAM_ERROR")
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls, want 1 (never retried)", n)
	}
}
