package restclient_test

import (
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestSimOrderEveryKeyBothDirections walks the whole set in each order and
// compares it with the oracle's sort. The data have many equal keys (a
// handful of providers, booleans) and logs sharing a millisecond, so the
// tie-breaks (created_at, then id, in the same direction) decide most of
// the order and any instability in them shows.
func TestSimOrderEveryKeyBothDirections(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	logs := e.sim.Logs(e.gw)
	orders := []restclient.OrderBy{
		restclient.OrderByCreatedAt, restclient.OrderByProvider, restclient.OrderByModel,
		restclient.OrderByModelType, restclient.OrderBySuccess, restclient.OrderByCached,
	}
	for _, by := range orders {
		t.Run(string(by), func(t *testing.T) {
			walked := map[restclient.Direction][]string{}
			for _, dir := range []restclient.Direction{restclient.Asc, restclient.Desc} {
				got, _ := e.listAll(t, restclient.ListLogsParams{OrderBy: by, Direction: dir})
				if want := idsOf(expectLogs(logs, nil, by, dir)); !slices.Equal(got, want) {
					t.Errorf("%s %s: first difference at %d\n got %v\nwant %v", by, dir, firstDiff(got, want), got, want)
				}
				walked[dir] = got
			}
			// Paging in either direction must see the same sequence, so that
			// flipping the direction of a cursor is just reading backwards.
			asc := slices.Clone(walked[restclient.Asc])
			slices.Reverse(asc)
			if !slices.Equal(asc, walked[restclient.Desc]) {
				t.Errorf("%s: asc is not desc reversed (first difference at %d)", by, firstDiff(asc, walked[restclient.Desc]))
			}
		})
	}

	t.Run("defaults are created_at desc", func(t *testing.T) {
		got, _ := e.listAll(t, restclient.ListLogsParams{})
		if want := idsOf(expectLogs(logs, nil, restclient.OrderByCreatedAt, restclient.Desc)); !slices.Equal(got, want) {
			t.Errorf("default order differs from created_at desc at %d", firstDiff(got, want))
		}
		if !slices.Equal(got, idsOf(logs)) {
			t.Error("default order differs from sim.Logs (documented as newest first)")
		}
	})

	t.Run("ordering applies to the filtered set", func(t *testing.T) {
		p := restclient.ListLogsParams{
			OrderBy: restclient.OrderByModel, Direction: restclient.Asc,
			Filters: []restclient.Filter{{Key: restclient.KeyProvider, Operator: restclient.OpEq, Values: []any{"openai"}}},
		}
		got, _ := e.listAll(t, p)
		if want := idsOf(expectLogs(logs, p.Filters, p.OrderBy, p.Direction)); !slices.Equal(got, want) {
			t.Errorf("filtered + ordered differs at %d", firstDiff(got, want))
		}
	})
}

// firstDiff is the first index where a and b differ (len if one is a prefix).
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
