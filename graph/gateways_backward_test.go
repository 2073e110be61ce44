package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// gatewaysPage is one answer of gatewaysQuery.
type gatewaysPage struct {
	Gateways *struct {
		TotalCount *int
		Edges      []struct {
			Cursor string
			Node   struct{ GatewayID string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
	}
}

const gatewaysQuery = `query($first: Int, $after: String, $last: Int, $before: String, $search: String) {
	gateways(first: $first, after: $after, last: $last, before: $before, search: $search) {
		totalCount edges { cursor node { gatewayId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`

// listGatewaysCall renders an expected List Gateways call as env.calls does.
func listGatewaysCall(page, perPage int) string {
	return fmt.Sprintf(" page=%d per_page=%d", page, perPage)
}

func (p gatewaysPage) ids() []string {
	var out []string
	for _, e := range p.Gateways.Edges {
		out = append(out, e.Node.GatewayID)
	}
	return out
}

// TestGatewaysWalkBackwards: `last`/`before` page from the end of the list
// to its start, each step with the fewest List Gateways calls (pages of up
// to 100, sized to the window), and meets the forward walk's gateways in
// the upstream's order; pageInfo is exact since the upstream tells the total
// (GatewaysWithResultInfo: not what List Gateways' spec documents; see
// TestGatewaysBackwardsWithoutTotal for that).
func TestGatewaysWalkBackwards(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways, o.GatewaysWithResultInfo = 130, true })
	all := e.sim.Gateways()
	if len(all) != 133 {
		t.Fatalf("%d gateways, want 133", len(all))
	}
	e.sim.ResetRequests()
	steps := []struct {
		window [2]int   // positions the step returns
		calls  []string // the List Gateways calls it makes
	}{
		// The probe tells the total (133); the window 73..132 is then one
		// page of 67 (positions 67..133).
		{[2]int{73, 133}, []string{listGatewaysCall(1, 100), listGatewaysCall(2, 67)}},
		{[2]int{13, 73}, []string{listGatewaysCall(1, 73)}},
		{[2]int{0, 13}, []string{listGatewaysCall(1, 13)}},
	}
	var before any
	var walked []string
	for i, step := range steps {
		var p gatewaysPage
		e.mustDo(gatewaysQuery, map[string]any{"last": 60, "before": before}, &p)
		e.expectCalls(step.calls...)
		if got, want := p.ids(), all[step.window[0]:step.window[1]]; !slices.Equal(got, want) {
			t.Fatalf("step %d: %v, want positions %v: %v", i, got, step.window, want)
		}
		info := p.Gateways.PageInfo
		if p.Gateways.TotalCount == nil || *p.Gateways.TotalCount != 133 ||
			info.HasPreviousPage != (step.window[0] > 0) || info.HasNextPage != (step.window[1] < 133) {
			t.Fatalf("step %d: totalCount %v, pageInfo %+v", i, p.Gateways.TotalCount, info)
		}
		walked = append(p.ids(), walked...)
		before = *info.StartCursor
	}
	if !slices.Equal(walked, all) {
		t.Fatalf("the backward walk saw %d gateways, not the list in order", len(walked))
	}

	// Forwards from a cursor met walking backwards, and back again: the
	// cursors of both directions are one walk's.
	var mid gatewaysPage
	e.mustDo(gatewaysQuery, map[string]any{"last": 10, "before": before}, &mid) // before position 0: nothing
	if len(mid.Gateways.Edges) != 0 || mid.Gateways.PageInfo.HasPreviousPage || !mid.Gateways.PageInfo.HasNextPage {
		t.Fatalf("before the first gateway: %+v", mid.Gateways)
	}
	e.expectCalls(listGatewaysCall(1, 1))
	var fwd gatewaysPage
	e.mustDo(gatewaysQuery, map[string]any{"first": 5, "after": before}, &fwd) // after position 0
	e.expectCalls(listGatewaysCall(1, 6))
	if !slices.Equal(fwd.ids(), all[1:6]) {
		t.Fatalf("first 5 after the first gateway: %v", fwd.ids())
	}
	var back gatewaysPage
	e.mustDo(gatewaysQuery, map[string]any{"last": 2, "before": *fwd.Gateways.PageInfo.EndCursor}, &back) // before position 5
	e.expectCalls(listGatewaysCall(2, 3))
	if !slices.Equal(back.ids(), all[3:5]) {
		t.Fatalf("last 2 before position 5: %v", back.ids())
	}
	var between gatewaysPage
	e.mustDo(gatewaysQuery, map[string]any{"last": 50, "after": before, "before": *fwd.Gateways.PageInfo.EndCursor}, &between)
	e.expectCalls(listGatewaysCall(1, 5))
	if !slices.Equal(between.ids(), all[1:5]) {
		t.Fatalf("between positions 0 and 5: %v", between.ids())
	}

	// A short list: the probe holds the window, one call in all.
	var short gatewaysPage
	e.mustDo(gatewaysQuery, map[string]any{"last": 2, "search": "ing"}, &short)
	e.expectCalls(listGatewaysCall(1, 100) + " search=ing")
	want := filterIDs(all, "ing")
	if want = want[max(0, len(want)-2):]; !slices.Equal(short.ids(), want) {
		t.Fatalf("last 2 matching ing: %v, want %v", short.ids(), want)
	}
}

// filterIDs is what List Gateways' search keeps: ids containing s.
func filterIDs(ids []string, s string) []string {
	var out []string
	for _, id := range ids {
		if strings.Contains(strings.ToLower(id), strings.ToLower(s)) {
			out = append(out, id)
		}
	}
	return out
}

// TestGatewaysBackwardsWithoutTotal: when List Gateways sends no
// result_info (as its spec documents, and cfsim by default), a short first page still places
// `last` without `before`, in one call; a full one leaves the end unknown,
// which is refused with BAD_USER_INPUT after that one call, while paging
// forward and backward from a cursor still work.
func TestGatewaysBackwardsWithoutTotal(t *testing.T) {
	short := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 40 })
	all := short.sim.Gateways()
	short.sim.ResetRequests()
	var p gatewaysPage
	short.mustDo(gatewaysQuery, map[string]any{"last": 10}, &p)
	short.expectCalls(listGatewaysCall(1, 100))
	if !slices.Equal(p.ids(), all[len(all)-10:]) || p.Gateways.TotalCount != nil ||
		p.Gateways.PageInfo.HasNextPage || !p.Gateways.PageInfo.HasPreviousPage {
		t.Fatalf("last 10 of %d: %v, totalCount %v, pageInfo %+v", len(all), p.ids(), p.Gateways.TotalCount, p.Gateways.PageInfo)
	}
	var q gatewaysPage
	short.mustDo(gatewaysQuery, map[string]any{"last": 10, "before": *p.Gateways.PageInfo.StartCursor}, &q)
	short.expectCalls(listGatewaysCall(3, 11)) // positions 22..32 hold the window 23..32
	if !slices.Equal(q.ids(), all[len(all)-20:len(all)-10]) || !q.Gateways.PageInfo.HasNextPage || !q.Gateways.PageInfo.HasPreviousPage {
		t.Fatalf("the 10 before: %v, pageInfo %+v", q.ids(), q.Gateways.PageInfo)
	}

	long := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 130 })
	long.sim.ResetRequests()
	var r gatewaysPage
	errs := long.do(gatewaysQuery, map[string]any{"last": 10}, &r)
	expectCode(t, errs, "BAD_USER_INPUT")
	if !strings.Contains(errs[0].Message, "page forward with first") || r.Gateways != nil {
		t.Fatalf("error %q, data %+v", errs[0].Message, r.Gateways)
	}
	long.expectCalls(listGatewaysCall(1, 100))
	var f gatewaysPage
	long.mustDo(gatewaysQuery, map[string]any{"first": 100}, &f)
	long.expectCalls(listGatewaysCall(1, 100))
	if !f.Gateways.PageInfo.HasNextPage {
		t.Fatal("a full first page without a total has no next page")
	}
	var b gatewaysPage
	long.mustDo(gatewaysQuery, map[string]any{"last": 3, "before": *f.Gateways.PageInfo.EndCursor}, &b)
	long.expectCalls(listGatewaysCall(33, 3)) // positions 96..98
	if !slices.Equal(b.ids(), long.sim.Gateways()[96:99]) {
		t.Fatalf("last 3 before position 99: %v", b.ids())
	}
}

// TestGatewaysBadPagingArguments: every wrong paging argument is
// BAD_USER_INPUT, and no upstream call is made for it.
func TestGatewaysBadPagingArguments(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 10 })
	endCursor := func(vars map[string]any) string {
		var p gatewaysPage
		e.mustDo(gatewaysQuery, vars, &p)
		return *p.Gateways.PageInfo.EndCursor
	}
	// Two walks of one query, begun at different instants.
	began := time.Now()
	e.resolver.Now = func() time.Time { return began }
	cursor := endCursor(map[string]any{"first": 2})
	e.resolver.Now = func() time.Time { return began.Add(time.Second) }
	later := endCursor(map[string]any{"first": 4})
	otherSearch := endCursor(map[string]any{"first": 1, "search": "gw"})
	var logs struct {
		Logs struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 1) { pageInfo { endCursor } } }`, nil, &logs)
	altered := []byte(cursor)
	altered[len(altered)/2] ^= 1
	e.sim.ResetRequests()
	for name, tc := range map[string]struct {
		vars map[string]any
		want string
	}{
		"first and last":                {map[string]any{"first": 2, "last": 2}, "either first or last"},
		"negative last":                 {map[string]any{"last": -1}, "last must not be negative"},
		"last over 100":                 {map[string]any{"last": 101}, "last must be at most 100"},
		"before that is not a cursor":   {map[string]any{"last": 2, "before": "not-a-cursor"}, "before is not a cursor"},
		"before altered":                {map[string]any{"last": 2, "before": string(altered)}, "before is not a cursor"},
		"before of another search":      {map[string]any{"last": 2, "before": otherSearch}, "before is a cursor of another query"},
		"before of a logs connection":   {map[string]any{"last": 2, "before": logs.Logs.PageInfo.EndCursor}, "before is a cursor of another query"},
		"after and before of two walks": {map[string]any{"last": 2, "after": cursor, "before": later}, "different walks"},
	} {
		t.Run(name, func(t *testing.T) {
			var r gatewaysPage
			errs := e.do(gatewaysQuery, tc.vars, &r)
			expectCode(t, errs, "BAD_USER_INPUT")
			if !strings.Contains(errs[0].Message, tc.want) || r.Gateways != nil {
				t.Errorf("error %q (want %q), data %+v", errs[0].Message, tc.want, r.Gateways)
			}
			if n := e.sim.RequestCount(); n != 0 {
				t.Errorf("%d upstream calls for bad input: %v", n, e.calls())
			}
		})
	}
}

// TestGatewaysPriceBoundsTheCalls: backward paging is priced like logs'
// (the probe and an unaligned window included), and the calls it makes
// never exceed that price.
func TestGatewaysPriceBoundsTheCalls(t *testing.T) {
	for _, noInfo := range []bool{false, true} {
		e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways, o.GatewaysWithResultInfo = 230, !noInfo })
		var p gatewaysPage
		e.mustDo(gatewaysQuery, map[string]any{"first": 100}, &p)
		before := *p.Gateways.PageInfo.EndCursor
		for _, tc := range []struct {
			query string
			price float64
		}{
			{`{ gateways(last: 100) { nodes { gatewayId } } }`, 3},
			{`{ gateways(last: 60) { nodes { gatewayId createdAt } } }`, 3},
			{fmt.Sprintf(`{ gateways(last: 100, before: %q) { nodes { gatewayId } } }`, before), 2},
			{fmt.Sprintf(`{ gateways(first: 100, after: %q) { nodes { gatewayId } } }`, before), 2},
			{`{ gateways(first: 100) { nodes { gatewayId } } }`, 1},
			{`{ gateways { totalCount } }`, 1},
		} {
			price := e.priceOf(tc.query)
			if price != tc.price {
				t.Errorf("%s: price %.0f, want %.0f", tc.query, price, tc.price)
			}
			e.sim.ResetRequests()
			errs := e.do(tc.query, nil, nil)
			if calls := e.sim.RequestCount(); calls == 0 || float64(calls) > price {
				t.Errorf("without result_info %v: %s: %d upstream calls for a price of %.0f (errors %+v)", noInfo, tc.query, calls, price, errs)
			}
		}
	}
}
