package graph_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
)

// walkCall is one upstream call of a walk: a List Gateway Logs page.
type walkCall struct {
	gateway        string
	page, perPage  int
	listsGateways  bool
	offset, endPos int // positions [offset, endPos) of the page
}

func (e *env) walkCalls() []walkCall {
	var out []walkCall
	for _, r := range e.sim.Requests() {
		c := walkCall{gateway: r.GatewayID, listsGateways: r.GatewayID == ""}
		c.page, _ = strconv.Atoi(r.Query.Get("page"))
		c.perPage, _ = strconv.Atoi(r.Query.Get("per_page"))
		c.offset, c.endPos = (c.page-1)*c.perPage, c.page*c.perPage
		out = append(out, c)
	}
	e.sim.ResetRequests()
	return out
}

// TestAccountWalkUpstreamCalls lists the calls of walks across gateways,
// like TestUpstreamCallsPerQuery does for one gateway: each gateway's part
// is the calls its own logs connection would make for the same window.
func TestAccountWalkUpstreamCalls(t *testing.T) {
	e, clock := newWalkEnv(t)
	snap := clock.Now().UTC().Format(model.DateTimeLayout)
	all := e.sim.Gateways()
	oracle := mergedOracle(e, all, "CREATED_AT", true, walkFilters[0].keep, clock.Now())
	// endCursor of the k-th log of the walk over every gateway, and where
	// the walk then stands in each gateway.
	cursorAfter := func(k int) (string, map[string]int) {
		var p accountWalkPage
		e.mustDo(fmt.Sprintf(`{ account { logs(first: %d) { pageInfo { endCursor } } } }`, k), nil, &p)
		e.sim.ResetRequests()
		pos := map[string]int{}
		for _, entry := range oracle[:k] {
			gw, _, _ := strings.Cut(entry, "/")
			pos[gw]++
		}
		return *p.Account.Logs.PageInfo.EndCursor, pos
	}
	listGateways := " page=1 per_page=11" // the first 11 gateways: are there more than 10?
	pagesOf := func(gw string, start, end int, opts ...string) []string {
		var out []string
		for _, pg := range paging.PlanPages(start, end) {
			out = append(out, listCall(snap, gw, pg.Number, pg.Size, opts...))
		}
		return out
	}
	eachGateway := func(f func(gw string) []string) []string {
		var out []string
		for _, gw := range all {
			out = append(out, f(gw)...)
		}
		return out
	}

	cursor50, pos50 := cursorAfter(50)
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		want  []string
	}{
		{"two named gateways, first 7: a page of 7 each",
			`{ account { logs(gatewayIds: ["staging", "eval"], first: 7) { nodes { logId } } } }`, nil,
			[]string{listCall(snap, "staging", 1, 7), listCall(snap, "eval", 1, 7)}},
		{"every gateway: List Gateways, then the default page of each",
			`{ account { logs { nodes { logId } } } }`, nil,
			append([]string{listGateways}, eachGateway(func(gw string) []string { return []string{listCall(snap, gw, 1, 20)} })...)},
		{"first 120 over three gateways: three pages of 40 each",
			`{ account { logs(gatewayIds: ["staging", "eval", "gw-001"], first: 120) { nodes { logId } } } }`, nil,
			slices.Concat(pagesOf("staging", 0, 120), pagesOf("eval", 0, 120), pagesOf("gw-001", 0, 120))},
		{"first 50 after the 50th log: each gateway from its own position",
			`query($c: String) { account { logs(first: 50, after: $c) { nodes { logId } } } }`, map[string]any{"c": cursor50},
			append([]string{listGateways}, eachGateway(func(gw string) []string { return pagesOf(gw, pos50[gw], pos50[gw]+50) })...)},
		{"last 5 before the 50th log's successor: each gateway up to its own position",
			`query($c: String) { account { logs(last: 5, before: $c) { nodes { logId } } } }`, map[string]any{"c": cursor50},
			append([]string{listGateways}, eachGateway(func(gw string) []string {
				end := pos50[gw]
				if strings.HasPrefix(oracle[49], gw+"/") {
					end-- // the cursor's own log is not before it
				}
				return pagesOf(gw, max(0, end-5), end)
			})...)},
		{"last 5 from the end: a probe of 50 each, and the window where the probe does not hold it",
			`{ account { logs(gatewayIds: ["prod-chat", "eval"], last: 5) { nodes { logId } } } }`, nil,
			slices.Concat([]string{listCall(snap, "prod-chat", 1, 50), listCall(snap, "eval", 1, 50)}, pagesOf("eval", 254, 259))},
		{"totalCount alone: one smallest page each",
			`{ account { logs(gatewayIds: ["prod-chat", "eval"]) { totalCount } } }`, nil,
			[]string{listCall(snap, "prod-chat", 1, 1), listCall(snap, "eval", 1, 1)}},
		{"summary asks meta_info of each, no extra call",
			`{ account { logs(gatewayIds: ["prod-chat", "eval"], first: 3) { nodes { logId } summary { maxCost } } } }`, nil,
			[]string{listCall(snap, "prod-chat", 1, 3, "meta_info=true"), listCall(snap, "eval", 1, 3, "meta_info=true")}},
		{"a filter goes to every gateway",
			`{ account { logs(gatewayIds: ["prod-chat", "eval"], first: 3, filter: {provider: {eq: "openai"}}) { nodes { logId } } } }`, nil,
			[]string{
				listCall(snap, "prod-chat", 1, 3, withFilters(snap, `{"key":"provider","operator":"eq","value":["openai"]}`)),
				listCall(snap, "eval", 1, 3, withFilters(snap, `{"key":"provider","operator":"eq","value":["openai"]}`)),
			}},
		{"Account.gateways is List Gateways",
			`{ account { gateways(first: 2) { nodes { gatewayId } } } }`, nil,
			[]string{" page=1 per_page=2"}},
	}
	e.sim.ResetRequests()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.mustDo(tc.query, tc.vars, nil)
			e.expectCalls(tc.want...)
		})
	}
}

// TestAccountWalkCallsPerPage walks forwards and backwards over g gateways
// with pages of n logs and checks every page's calls: at most ⌈n/50⌉ per
// gateway, plus the one upstream page that the previous page used only in
// part (and, for `last` without `before`, the probe that finds the end);
// nothing the previous pages consumed is fetched again but within that one
// page; and never more than the operation's price.
func TestAccountWalkCallsPerPage(t *testing.T) {
	e, clock := newWalkEnv(t)
	sets := [][]string{{"eval"}, {"staging", "batch-jobs", "eval"}, e.sim.Gateways()}
	for _, gateways := range sets {
		for _, n := range []int{1, 7, 50, 51, 120} {
			for _, backwards := range []bool{false, true} {
				t.Run(fmt.Sprintf("%d gateways/first %d/backwards %v", len(gateways), n, backwards), func(t *testing.T) {
					e.t = t
					oracle := mergedOracle(e, gateways, "CREATED_AT", true, walkFilters[0].keep, clock.Now())
					checkCallsPerPage(t, e, gateways, oracle, n, backwards)
				})
			}
		}
	}
}

func checkCallsPerPage(t *testing.T, e *env, gateways, oracle []string, n int, backwards bool) {
	t.Helper()
	dir, cursorArg := "first", "after"
	if backwards {
		dir, cursorArg = "last", "before"
	}
	query := func(cursor string) string {
		return fmt.Sprintf(`query($c: String) { account { logs(%s%s: %d, %s: %s) { edges { node { logId } } pageInfo { startCursor endCursor } } } }`,
			gatewayIDsArg(gateways), dir, n, cursorArg, cursor)
	}
	q := query("$c")
	perPage := math.Ceil(float64(n) / 50)
	var cursor any
	done := 0 // logs of the walk returned so far
	var perPageCalls []int
	for page := 0; page < 4 && done < len(oracle); page++ {
		priced := query("null") // the price depends on whether a cursor is given, not on which
		if cursor != nil {
			priced = query(`"a cursor"`)
		}
		price := e.priceOf(strings.Replace(priced, "query($c: String) ", "", 1))
		e.sim.ResetRequests()
		// Where the walk stands in each gateway: forwards, the logs of
		// each consumed so far; backwards, those still before the window.
		stand := map[string]int{}
		remaining := oracle[:len(oracle)-done]
		if !backwards {
			remaining = oracle[:done]
		}
		for _, entry := range remaining {
			gw, _, _ := strings.Cut(entry, "/")
			stand[gw]++
		}
		var p accountWalkPage
		e.mustDo(q, map[string]any{"c": cursor}, &p)
		calls := e.walkCalls()
		perPageCalls = append(perPageCalls, len(calls))
		if float64(len(calls)) > price {
			t.Fatalf("page %d: %d calls for a price of %.0f", page, len(calls), price)
		}
		byGateway := map[string][]walkCall{}
		for _, c := range calls {
			byGateway[c.gateway] = append(byGateway[c.gateway], c)
		}
		for _, gw := range gateways {
			limit := perPage + 1 // the one page the previous page used in part
			switch {
			case !backwards && page == 0:
				limit = perPage // the walk begins on a page boundary
			case backwards && page == 0:
				limit = perPage + 2 // the probe that finds the end, and an unaligned window
			}
			got := byGateway[gw]
			if float64(len(got)) > limit {
				t.Fatalf("page %d: %d calls to %s, at most %.0f allowed: %+v", page, len(got), gw, limit, got)
			}
			if page == 0 {
				continue
			}
			partly := 0
			for _, c := range got {
				consumed := c.endPos <= stand[gw] // wholly before the walk's position
				straddles := c.offset < stand[gw] && stand[gw] < c.endPos
				if backwards {
					consumed = c.offset >= stand[gw]
				}
				if consumed {
					t.Fatalf("page %d: %s page %+v was consumed by an earlier page (the walk stands at %d)", page, gw, c, stand[gw])
				}
				if straddles {
					partly++
				}
			}
			if partly > 1 {
				t.Fatalf("page %d: %d partly used pages of %s fetched again", page, partly, gw)
			}
		}
		c := p.Account.Logs
		done += len(c.Edges)
		if backwards {
			if c.PageInfo.StartCursor != nil {
				cursor = *c.PageInfo.StartCursor
			}
		} else if c.PageInfo.EndCursor != nil {
			cursor = *c.PageInfo.EndCursor
		}
	}
	t.Logf("%d gateways, pages of %d, backwards %v: calls of pages 1, 2, …: %v", len(gateways), n, backwards, perPageCalls)
}
