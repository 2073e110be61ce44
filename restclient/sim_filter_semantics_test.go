package restclient_test

import (
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestSimFilterSemantics pins, through the wire, the undocumented choices of
// cfsim/doc.go that the facade relies on, as relations between answers
// (so they hold whatever the data) on top of the oracle comparison.
func TestSimFilterSemantics(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	logs := e.sim.Logs(e.gw)
	byID := map[string]*cfsim.Log{}
	for i := range logs {
		byID[logs[i].ID] = &logs[i]
	}
	// fetch returns every matching id, after checking them against the oracle.
	fetch := func(t *testing.T, fs ...restclient.Filter) []string {
		t.Helper()
		got, _ := e.listAll(t, restclient.ListLogsParams{Filters: fs})
		if want := idsOf(expectLogs(logs, fs, "", "")); !slices.Equal(got, want) {
			t.Fatalf("%v: got %d ids, oracle says %d", fs, len(got), len(want))
		}
		return got
	}
	f := func(k restclient.FilterKey, op restclient.Operator, vs ...any) restclient.Filter {
		return restclient.Filter{Key: k, Operator: op, Values: vs}
	}

	t.Run("eq with several values is any of", func(t *testing.T) {
		both := fetch(t, f(restclient.KeyProvider, restclient.OpEq, "openai", "anthropic"))
		one := fetch(t, f(restclient.KeyProvider, restclient.OpEq, "openai"))
		other := fetch(t, f(restclient.KeyProvider, restclient.OpEq, "anthropic"))
		if len(one) == 0 || len(other) == 0 || len(both) != len(one)+len(other) {
			t.Errorf("openai|anthropic: %d, openai: %d, anthropic: %d", len(both), len(one), len(other))
		}
	})

	t.Run("neq is the exact complement of eq, null fields included", func(t *testing.T) {
		eq := fetch(t, f(restclient.KeyFeedback, restclient.OpEq, 1))
		neq := fetch(t, f(restclient.KeyFeedback, restclient.OpNeq, 1))
		if len(eq)+len(neq) != len(logs) {
			t.Errorf("eq %d + neq %d != %d logs", len(eq), len(neq), len(logs))
		}
		unrated := 0
		for _, id := range neq {
			if byID[id].Feedback == nil {
				unrated++
			}
		}
		if unrated == 0 {
			t.Error("feedback neq 1 returned no unrated log: null fields must match neq")
		}
	})

	t.Run("null fields never match lt or gt", func(t *testing.T) {
		lt := fetch(t, f(restclient.KeyFeedback, restclient.OpLt, 1))
		gt := fetch(t, f(restclient.KeyFeedback, restclient.OpGt, -1))
		for _, id := range append(lt, gt...) {
			if byID[id].Feedback == nil {
				t.Fatalf("log %s has no feedback yet matched lt/gt", id)
			}
		}
	})

	t.Run("contains is case-sensitive", func(t *testing.T) {
		upper := fetch(t, f(restclient.KeyUserAgent, restclient.OpContains, "Python")) // OpenAI/Python
		lower := fetch(t, f(restclient.KeyUserAgent, restclient.OpContains, "python")) // anthropic-sdk-python
		if len(upper) == 0 || len(lower) == 0 {
			t.Fatalf("Python: %d, python: %d; both should match something", len(upper), len(lower))
		}
		for _, id := range upper {
			if slices.Contains(lower, id) {
				t.Fatalf("log %s (%q) matched both spellings", id, byID[id].UserAgent)
			}
		}
	})

	t.Run("metadata.value matches numbers and booleans stringified", func(t *testing.T) {
		// cf-aig-metadata values may be JSON numbers and booleans; the
		// filter value can be sent as the same JSON type.
		if len(fetch(t, f(restclient.KeyMetadataValue, restclient.OpEq, 2))) == 0 {
			t.Error(`metadata.value eq 2 matched nothing ("attempt": 2 exists)`)
		}
		if len(fetch(t, f(restclient.KeyMetadataValue, restclient.OpEq, true))) == 0 {
			t.Error(`metadata.value eq true matched nothing ("beta": true exists)`)
		}
	})

	t.Run("filters AND together", func(t *testing.T) {
		a := f(restclient.KeyProvider, restclient.OpEq, "openai")
		b := f(restclient.KeyMetadataKey, restclient.OpEq, "team")
		c := f(restclient.KeySuccess, restclient.OpEq, true)
		all := fetch(t, a, b, c)
		for _, single := range []restclient.Filter{a, b, c} {
			if n := len(fetch(t, single)); len(all) == 0 || len(all) >= n {
				t.Errorf("%v alone: %d, all three: %d; AND should narrow", single, n, len(all))
			}
		}
	})
}
