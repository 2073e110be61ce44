package restclient_test

import (
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestSimMetaInfo compares result_info's min/max figures with the oracle's.
// They describe the whole filtered set, not the page, so the page asked for
// is small on purpose; and a figure no log of the set has must be absent
// rather than 0.
func TestSimMetaInfo(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	logs := e.sim.Logs(e.gw)
	eq := func(k restclient.FilterKey, v any) []restclient.Filter {
		return []restclient.Filter{{Key: k, Operator: restclient.OpEq, Values: []any{v}}}
	}
	cases := []struct {
		name    string
		filters []restclient.Filter
		absent  int // how many of the 10 figures the set lacks: guards the case
	}{
		{"whole gateway", nil, 0},
		{"one provider", eq(restclient.KeyProvider, "anthropic"), 0},
		// Image models report no tokens: the six token figures are absent.
		{"set without tokens", eq(restclient.KeyModelType, "image"), 6},
		{"empty set", eq(restclient.KeyID, "no-such-id"), 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := expectLogs(logs, c.filters, "", "")
			want := expectFigures(set)
			if absent := 10 - len(want); absent != c.absent {
				t.Fatalf("the set lacks %d figures, the case expects %d", absent, c.absent)
			}
			pg := e.list(t, restclient.ListLogsParams{PerPage: 1, MetaInfo: true, Filters: c.filters})
			if pg.Info.TotalCount != len(set) {
				t.Errorf("total_count %d, want %d", pg.Info.TotalCount, len(set))
			}
			for name, got := range figuresOf(pg.Info) {
				w := want[name]
				switch {
				case got == nil && w == nil:
				case got == nil || w == nil:
					t.Errorf("%s: got %v, want %v (nil = absent)", name, deref(got), deref(w))
				case *got != *w:
					t.Errorf("%s: got %v, want %v", name, *got, *w)
				}
			}
		})
	}

	t.Run("absent unless asked for", func(t *testing.T) {
		pg := e.list(t, restclient.ListLogsParams{PerPage: 1})
		for name, got := range figuresOf(pg.Info) {
			if got != nil {
				t.Errorf("%s = %v without meta_info", name, *got)
			}
		}
	})
}

func deref(p *float64) any {
	if p == nil {
		return "absent"
	}
	return *p
}
