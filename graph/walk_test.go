package graph_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

type walkPage struct {
	Logs struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct{ LogID string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
	}
}

// walk pages through a query to its end, forwards (first/after) or
// backwards (last/before), and returns the log ids in list order.
// between runs after every page: it is how a test makes logs arrive mid-walk.
func walk(t *testing.T, e *env, args string, size int, backwards bool, wantTotal int, between func()) []string {
	t.Helper()
	dir, cursorArg := "first", "after"
	if backwards {
		dir, cursorArg = "last", "before"
	}
	q := fmt.Sprintf(`query($c: String) { logs(gatewayId: "prod-chat", %s: %d, %s: $c%s) {
		totalCount edges { cursor node { logId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
		dir, size, cursorArg, args)
	var ids []string
	var cursor any
	for step := 0; ; step++ {
		if step > wantTotal+2 {
			t.Fatalf("walk does not end")
		}
		var p walkPage
		e.mustDo(q, map[string]any{"c": cursor}, &p)
		got := make([]string, len(p.Logs.Edges))
		for i, edge := range p.Logs.Edges {
			got[i] = edge.Node.LogID
		}
		if p.Logs.TotalCount != wantTotal {
			t.Fatalf("step %d: totalCount %d, want %d (the walk's snapshot moved)", step, p.Logs.TotalCount, wantTotal)
		}
		seen := len(ids) + len(got)
		more := seen < wantTotal
		if backwards {
			ids = append(got, ids...)
			if p.Logs.PageInfo.HasPreviousPage != more || p.Logs.PageInfo.HasNextPage != (step > 0) {
				t.Fatalf("step %d: pageInfo %+v after %d of %d", step, p.Logs.PageInfo, seen, wantTotal)
			}
			if !more {
				return ids
			}
			cursor = *p.Logs.PageInfo.StartCursor
		} else {
			ids = append(ids, got...)
			if p.Logs.PageInfo.HasNextPage != more || p.Logs.PageInfo.HasPreviousPage != (step > 0) {
				t.Fatalf("step %d: pageInfo %+v after %d of %d", step, p.Logs.PageInfo, seen, wantTotal)
			}
			if !more {
				return ids
			}
			cursor = *p.Logs.PageInfo.EndCursor
		}
		if len(got) != size {
			t.Fatalf("step %d: %d logs in a page of %d before the end", step, len(got), size)
		}
		between()
	}
}

func ids(logs []cfsim.Log) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = l.ID
	}
	return out
}

// TestWalksWhileLogsArrive walks every page forwards and backwards while the
// upstream keeps receiving new logs: every log that existed when the walk
// began comes back exactly once, in order, and none of the new ones.
func TestWalksWhileLogsArrive(t *testing.T) {
	for _, size := range []int{1, 7, 50, 120} {
		for _, backwards := range []bool{false, true} {
			t.Run(fmt.Sprintf("size %d backwards %v", size, backwards), func(t *testing.T) {
				// 150 logs: more than two upstream pages, and 150 steps
				// of size 1.
				e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.LogsPerGateway = 150 })
				// cfsim's history ends a minute ago, so the walk's snapshot
				// (now, to the second) is after every one of these logs.
				want := ids(e.sim.Logs("prod-chat"))
				// After the first page (the walk has begun): background
				// traffic on every gateway, and a burst on this one after
				// every page.
				stop := func() {}
				var once sync.Once
				got := walk(t, e, "", size, backwards, len(want), func() {
					once.Do(func() { stop = e.sim.StartTraffic(context.Background(), 5*time.Millisecond, 1) })
					e.sim.Append("prod-chat", 3)
				})
				stop()
				if len(e.sim.Logs("prod-chat")) <= len(want) {
					t.Fatal("no log arrived during the walk: the test proves nothing")
				}
				if !slices.Equal(got, want) {
					t.Fatalf("walk returned %d logs, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
				}
			})
		}
	}
}

// upstreamListing lists every log of a query straight from the upstream,
// page by page: the order a walk must reproduce.
func upstreamListing(t *testing.T, e *env, p restclient.ListLogsParams) []string {
	t.Helper()
	var out []string
	p.PerPage = 50
	for p.Page = 1; ; p.Page++ {
		page, err := e.resolver.Upstream.ListLogs(context.Background(), restclient.Credentials{Token: cfsim.DemoToken}, e.sim.AccountID(), "prod-chat", p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Logs {
			out = append(out, l.ID)
		}
		if len(page.Logs) < p.PerPage {
			return out
		}
	}
}

// TestWalkInOtherOrderWithFilter walks a filtered list ordered by provider,
// where many logs tie on the order key, forwards and backwards, while logs
// arrive: each walk returns exactly the upstream's own listing at its start.
func TestWalkInOtherOrderWithFilter(t *testing.T) {
	// Logs arrive between the two walks: a millisecond snapshot resolution
	// lets the second walk see them at once. One clock, moved by the test,
	// dates the new logs and pins the walks: each walk begins a millisecond
	// after the logs it must return, and the logs that arrive during it are
	// a millisecond later still.
	clock := testenv.NewClock(time.Now())
	e := newEnv(t, func(c *graphConfig, o *cfsimOptions) { c.SnapshotResolution, o.Now = time.Millisecond, clock.Now })
	e.resolver.Now = clock.Now
	args := `, orderBy: {field: PROVIDER, direction: ASC}, filter: {success: {eq: true}}`
	params := restclient.ListLogsParams{
		OrderBy: restclient.OrderByProvider, Direction: restclient.Asc,
		Filters: []restclient.Filter{{Key: restclient.KeySuccess, Operator: restclient.OpEq, Values: []any{true}}},
	}
	for _, backwards := range []bool{false, true} {
		e.sim.ResetRequests()
		want := upstreamListing(t, e, params)
		clock.Advance(time.Millisecond)
		got := walk(t, e, args, 7, backwards, len(want), func() {
			clock.Advance(time.Millisecond)
			e.sim.Append("prod-chat", 2)
		})
		if !slices.Equal(got, want) {
			t.Fatalf("backwards=%v: walk differs from the upstream listing at %d", backwards, firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
