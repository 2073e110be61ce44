package restclient_test

import (
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestSimPagingEdges asks for single pages at the edges and checks both the
// logs (the oracle's window) and result_info. A page past the end is not an
// error upstream: it is empty, and total_count still counts the whole set.
func TestSimPagingEdges(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	logs := e.sim.Logs(e.gw)
	lastOf50 := (simLogs + 49) / 50
	if simLogs%50 == 0 {
		t.Fatal("simLogs must not be a multiple of 50, or no last page is partial")
	}
	block := []restclient.Filter{{Key: restclient.KeyDLPAction, Operator: restclient.OpEq, Values: []any{"BLOCK"}}}
	nothing := []restclient.Filter{{Key: restclient.KeyID, Operator: restclient.OpEq, Values: []any{"no-such-id"}}}

	cases := []struct {
		name    string
		p       restclient.ListLogsParams
		wantLen int // guards the case itself: the edge it names is really hit
	}{
		{"per_page 50 first page", restclient.ListLogsParams{PerPage: 50, Page: 1}, 50},
		{"per_page 50 last page is partial", restclient.ListLogsParams{PerPage: 50, Page: lastOf50}, simLogs % 50},
		{"per_page 50 last page ascending", restclient.ListLogsParams{PerPage: 50, Page: lastOf50, Direction: restclient.Asc}, simLogs % 50},
		{"per_page 50 just beyond the last page", restclient.ListLogsParams{PerPage: 50, Page: lastOf50 + 1}, 0},
		{"per_page 50 far beyond the last page", restclient.ListLogsParams{PerPage: 50, Page: 1000}, 0},
		{"per_page 1 first page", restclient.ListLogsParams{PerPage: 1, Page: 1}, 1},
		{"per_page 1 second page", restclient.ListLogsParams{PerPage: 1, Page: 2}, 1},
		{"per_page 1 last page", restclient.ListLogsParams{PerPage: 1, Page: simLogs}, 1},
		{"per_page 1 beyond the last page", restclient.ListLogsParams{PerPage: 1, Page: simLogs + 1}, 0},
		{"filtered set smaller than one page", restclient.ListLogsParams{PerPage: 50, Page: 1, Filters: block}, -1},
		{"filtered set, page 2 is beyond", restclient.ListLogsParams{PerPage: 50, Page: 2, Filters: block}, 0},
		{"filtered set that is empty", restclient.ListLogsParams{PerPage: 50, Page: 1, Filters: nothing}, 0},
		{"defaults: page 1 of 20", restclient.ListLogsParams{}, 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := expectLogs(logs, c.p.Filters, c.p.OrderBy, c.p.Direction)
			page, perPage := max(c.p.Page, 1), c.p.PerPage
			if perPage == 0 {
				perPage = 20 // the upstream's default
			}
			lo, hi := min((page-1)*perPage, len(set)), min(page*perPage, len(set))
			want := idsOf(set[lo:hi])
			if c.wantLen >= 0 && len(want) != c.wantLen {
				t.Fatalf("case does not hit its edge: the window holds %d logs, want %d", len(want), c.wantLen)
			}

			pg := e.list(t, c.p)
			got := make([]string, 0, len(pg.Logs))
			for _, l := range pg.Logs {
				got = append(got, l.ID)
			}
			if pg.Logs == nil || !slices.Equal(got, want) {
				t.Errorf("logs: got %v, want %v (LogPage.Logs must never be nil)", got, want)
			}
			wantInfo := restclient.ResultInfo{Count: len(want), Page: page, PerPage: perPage, TotalCount: len(set)}
			if pg.Info != wantInfo {
				t.Errorf("result_info: got %+v, want %+v", pg.Info, wantInfo)
			}
		})
	}

	t.Run("walking per_page 1 gives the whole set in order", func(t *testing.T) {
		p := restclient.ListLogsParams{PerPage: 1, Direction: restclient.Asc, Filters: block}
		want := idsOf(expectLogs(logs, block, "", restclient.Asc))
		if len(want) < 2 {
			t.Fatalf("the walk needs at least 2 logs, the filter keeps %d", len(want))
		}
		var got []string
		for p.Page = 1; ; p.Page++ {
			pg := e.list(t, p)
			if len(pg.Logs) == 0 {
				break
			}
			got = append(got, pg.Logs[0].ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}
