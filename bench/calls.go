package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph/globalid"
)

// callRow is one query shape of scenario 3: the upstream calls it made
// against the fewest any correct implementation could make.
type callRow struct {
	name      string
	query     string
	vars      map[string]any
	min       int // by reasoning: see the comment at each row
	wantItems int // logs the answer must carry (count of "logId")

	got    int      // upstream calls cfsim recorded (the most over the repeats)
	over   int      // repeats that made more calls than the minimum
	items  int      // logs in the answer
	calls  []string // what each call asked, for the report
	excess string   // why there were more calls than the minimum, if known
	err    string
}

func (r callRow) pass() bool {
	return r.err == "" && r.got == r.min && r.over == 0 && r.items == r.wantItems
}

// scenarioCalls is scenario 3. Each row runs alone, with no load, between
// sim.ResetRequests() and sim.RequestCount(). Shapes that need a cursor get
// it first from an unrecorded query.
func (h *harness) scenarioCalls(rep *report) error {
	h.progress("scenario 3: upstream calls per query shape")
	acct := h.sim.AccountID()
	cursor := func(pos int) (string, error) {
		var r struct {
			Data struct {
				Logs struct{ PageInfo struct{ EndCursor string } }
			}
		}
		b, err := h.post(gqlBody(fmt.Sprintf(`{ logs(gatewayId: %q, first: %d) { pageInfo { endCursor } } }`, benchGateway, pos+1), nil))
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err == nil && r.Data.Logs.PageInfo.EndCursor == "" {
			err = fmt.Errorf("no endCursor in %.200s", b)
		}
		return r.Data.Logs.PageInfo.EndCursor, err
	}
	windowAfter := `query($c: String) { logs(gatewayId: "prod-chat", first: %d, after: $c) { nodes { logId } } }`

	// 120 log ids, 40 from each gateway, spread over each gateway's history.
	var ids []string
	for _, gw := range h.sim.Gateways() {
		logs := h.sim.Logs(gw)
		for i := range 40 {
			ids = append(ids, globalid.Log(acct, gw, logs[(i*37)%len(logs)].ID))
		}
	}

	c44, err := cursor(44)
	if err != nil {
		return fmt.Errorf("cursor at 44: %w", err)
	}
	c100, err := cursor(100)
	if err != nil {
		return fmt.Errorf("cursor at 100: %w", err)
	}
	c112, err := cursor(112)
	if err != nil {
		return fmt.Errorf("cursor at 112: %w", err)
	}

	rows := []callRow{
		// Items 45..54 (0-based) straddle the 50 boundary, but one page of 11
		// (page 5 = items 44..54) covers them: any window of n ≤ 50 items fits
		// in one page of some per_page ≤ 50, so the minimum is 1.
		{name: "first:10 after cursor@44 (items 45–54)", query: fmt.Sprintf(windowAfter, 10),
			vars: map[string]any{"c": c44}, min: 1, wantItems: 10},
		// Items 101..107: page 12 of 9 (items 99..107) covers them → 1.
		{name: "first:7 after cursor@100 (items 101–107)", query: fmt.Sprintf(windowAfter, 7),
			vars: map[string]any{"c": c100}, min: 1, wantItems: 7},
		// Items 113..137: page 4 of 35 (items 105..139) covers them → 1.
		{name: "first:25 after cursor@112 (items 113–137)", query: fmt.Sprintf(windowAfter, 25),
			vars: map[string]any{"c": c112}, min: 1, wantItems: 25},
		// 50 items from the start: page 1 of 50 → 1.
		{name: "first:50", query: `{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId } } }`, min: 1, wantItems: 50},
		// per_page is at most 50, so 51 items need at least 2 pages.
		{name: "first:51", query: `{ logs(gatewayId: "prod-chat", first: 51) { nodes { logId } } }`, min: 2, wantItems: 51},
		// ⌈120/50⌉ = 3 pages at least (e.g. 3 pages of 40).
		{name: "first:120", query: `{ logs(gatewayId: "prod-chat", first: 120) { nodes { logId } } }`, min: 3, wantItems: 120},
		// ⌈200/50⌉ = 4 pages of 50.
		{name: "first:200", query: `{ logs(gatewayId: "prod-chat", first: 200) { nodes { logId } } }`, min: 4, wantItems: 200},
		// The last 5 sit at an offset that depends on the total, which no
		// call has told yet: one call to learn it (its page may not hold the
		// tail), then the window → 2.
		{name: "last:5 (no cursor)", query: `{ logs(gatewayId: "prod-chat", last: 5) { nodes { logId } } }`, min: 2, wantItems: 5},
		// Two aliases asking the same thing are the same upstream request,
		// made once per GraphQL request → 1.
		{name: "two identical aliases (first:50)", query: `{ a: logs(gatewayId: "prod-chat", first: 50) { nodes { logId } } b: logs(gatewayId: "prod-chat", first: 50) { nodes { logId } } }`, min: 1, wantItems: 100},
		// Each gateway is its own URL: one call each → 3.
		{name: "three gateways (first:10 each)", query: `{ a: logs(gatewayId: "prod-chat", first: 10) { nodes { logId } } b: logs(gatewayId: "staging", first: 10) { nodes { logId } } c: logs(gatewayId: "batch-jobs", first: 10) { nodes { logId } } }`, min: 3, wantItems: 30},
		// 40 ids per gateway: one `id eq [40 ids]` call per gateway (≤ 50
		// values fit one page of 50); no call can span gateways → 3.
		{name: "nodes(ids:) 120 logs over 3 gateways", query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGatewayLog { logId } } }`,
			vars: map[string]any{"ids": ids}, min: 3, wantItems: 120},
		// result_info.total_count comes with any page, even one of 1 → 1.
		{name: "totalCount only", query: `{ logs(gatewayId: "prod-chat") { totalCount } }`, min: 1, wantItems: 0},
		// summary rides on the same call with meta_info=true → 1.
		{name: "totalCount + summary", query: `{ logs(gatewayId: "prod-chat") { totalCount summary { maxCost minDuration } } }`, min: 1, wantItems: 0},
	}
	for i := range rows {
		// Repeated, because some excess is intermittent (e.g. two fields
		// that each pin a snapshot agree only within one millisecond).
		for range callRepeats {
			one := rows[i]
			one.calls, one.excess, one.err = nil, "", ""
			h.countCalls(&one)
			if one.got > rows[i].min {
				rows[i].over++
			}
			if rows[i].calls == nil || one.got > rows[i].got || (one.err != "" && rows[i].err == "") {
				rows[i].got, rows[i].items, rows[i].calls, rows[i].excess, rows[i].err = one.got, one.items, one.calls, one.excess, one.err
			}
		}
	}
	rep.calls = rows
	return nil
}

// callRepeats is how often each shape of scenario 3 is run; the table
// shows the run with the most calls.
const callRepeats = 20

// countCalls runs one row with nothing else in flight.
func (h *harness) countCalls(r *callRow) {
	h.sim.ResetRequests()
	started := h.upCalls.Load()
	body, err := h.post(gqlBody(r.query, r.vars))
	if err != nil {
		r.err = err.Error()
	}
	// cfsim records a call when its handler returns, which can be a moment
	// after the service already has the answer: wait until every call that
	// reached cfsim (counted as it arrived) is recorded.
	want := int(h.upCalls.Load() - started)
	for deadline := time.Now().Add(2 * time.Second); h.sim.RequestCount() < want && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	r.got = h.sim.RequestCount()
	r.items = bytes.Count(body, []byte(`"logId"`))
	reqs := h.sim.Requests()
	for _, q := range reqs {
		r.calls = append(r.calls, describeCall(q))
	}
	slices.Sort(r.calls) // concurrent calls arrive in any order
	if r.got > r.min {
		r.excess = excessNote(reqs)
	}
}

// excessNote explains extra calls: were they the same request made twice,
// or requests that differ (and in what)?
func excessNote(reqs []cfsim.Request) string {
	seen := map[string]int{}
	for _, q := range reqs {
		seen[q.GatewayID+"?"+q.RawQuery]++
	}
	dups := 0
	for _, n := range seen {
		dups += n - 1
	}
	if dups > 0 {
		return fmt.Sprintf("%d identical call(s) repeated", dups)
	}
	// Name the parameters whose values differ between same-gateway calls.
	var diff []string
	for i := 1; i < len(reqs); i++ {
		a, b := reqs[0], reqs[i]
		if a.GatewayID != b.GatewayID {
			continue
		}
		for k := range b.Query {
			if a.Query.Get(k) != b.Query.Get(k) && !slices.Contains(diff, k) {
				diff = append(diff, k)
				if k == "filters" {
					diff[len(diff)-1] = fmt.Sprintf("filters (%s vs %s)", a.Query.Get(k), b.Query.Get(k))
				}
			}
		}
	}
	return "no two calls identical; they differ in " + strings.Join(diff, ", ")
}

// describeCall renders an upstream call as "gateway p{page}×{per_page}",
// with "+meta" and "id∈[n]" when it asks for those.
func describeCall(q cfsim.Request) string {
	s := fmt.Sprintf("%s p%s×%s", q.GatewayID, orDash(q.Query.Get("page")), orDash(q.Query.Get("per_page")))
	for _, f := range q.Filters {
		if f.Key == "id" {
			s += fmt.Sprintf(" id∈[%d]", len(f.Value))
		}
	}
	if q.Query.Get("meta_info") == "true" {
		s += " +meta"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// post sends one GraphQL request to the service and returns its body; a 200
// with "errors" is an error.
func (h *harness) post(body []byte) ([]byte, error) {
	return h.fetch(graphqlTarget(h.serviceURL(), body))
}

func (h *harness) get(t target) ([]byte, error) { return h.fetch(t) }

func (h *harness) fetch(t target) ([]byte, error) {
	var buf bytes.Buffer
	err := t.forWorker(0).do(h.client, &buf)
	return bytes.Clone(buf.Bytes()), err
}
