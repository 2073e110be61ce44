package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/restclient"
)

// walkCursor is the endCursor of a walk's first page of 3.
func walkCursor(e *env, args string) string {
	e.t.Helper()
	var p accountWalkPage
	e.mustDo(fmt.Sprintf(`{ account { logs(%sfirst: 3) { pageInfo { endCursor } } } }`, args), nil, &p)
	return *p.Account.Logs.PageInfo.EndCursor
}

// TestAccountWalkRefusesBadInput: every bad argument is BAD_USER_INPUT with
// a message saying what is wrong, before any upstream call — but for a
// cursor checked against the account's gateways, which must be listed first.
func TestAccountWalkRefusesBadInput(t *testing.T) {
	e, _ := newWalkEnv(t)
	two := `gatewayIds: ["staging", "eval"], `
	cursorTwo := walkCursor(e, two)
	cursorAll := walkCursor(e, "")
	var single struct {
		Logs struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(`{ logs(gatewayId: "eval", first: 1) { pageInfo { endCursor } } }`, nil, &single)
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf("gw-%d", i)
	}
	cases := []struct {
		name, args, want string
		calls            int
	}{
		{"empty gatewayIds", `gatewayIds: [], first: 3`, "at least one gateway", 0},
		{"a gateway twice", `gatewayIds: ["eval", "staging", "eval"], first: 3`, `"eval" is given more than once`, 0},
		{"more gateways than the limit", gatewayIDsArg(eleven) + `first: 3`, "at most 10 gateways (got 11)", 0},
		{"an invalid gateway id", `gatewayIds: ["eval", "no/slash"], first: 3`, "gatewayIds[1]", 0},
		{"first and last", two + `first: 3, last: 3`, "either first or last", 0},
		{"first over the maximum", two + `first: 201`, "at most 200", 0},
		{"a forged cursor", two + `first: 3, after: "bTEu"`, "start the walk again", 0},
		{"a single gateway's cursor", two + fmt.Sprintf(`first: 3, after: %q`, single.Logs.PageInfo.EndCursor), "one gateway's logs", 0},
		{"a cursor of another gateway set", `gatewayIds: ["staging"], ` + fmt.Sprintf(`first: 3, after: %q`, cursorTwo), "another set of gateways", 0},
		{"the same set in another order is the same set", `gatewayIds: ["eval", "staging"], ` + fmt.Sprintf(`first: 3, after: %q`, cursorTwo), "", 2},
		{"a cursor of another order", two + fmt.Sprintf(`first: 3, after: %q, orderBy: {field: PROVIDER}`, cursorTwo), "another query", 0},
		{"a cursor of another direction", two + fmt.Sprintf(`first: 3, after: %q, orderBy: {direction: ASC}`, cursorTwo), "another query", 0},
		{"a cursor of another filter", two + fmt.Sprintf(`first: 3, after: %q, filter: {success: {eq: true}}`, cursorTwo), "another query", 0},
		{"a cursor of another search", two + fmt.Sprintf(`first: 3, after: %q, search: "gpt"`, cursorTwo), "another query", 0},
		{"every gateway: a cursor of another order, before listing them", fmt.Sprintf(`first: 3, after: %q, orderBy: {field: MODEL}`, cursorAll), "another query", 0},
		{"every gateway: a cursor of named gateways, once they are listed", fmt.Sprintf(`first: 3, after: %q`, cursorTwo), "another set of gateways", 1},
		{"named gateways: a cursor of every gateway", two + fmt.Sprintf(`first: 3, after: %q`, cursorAll), "another set of gateways", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			errs := e.do(fmt.Sprintf(`{ account { logs(%s) { nodes { logId } } } }`, tc.args), nil, nil)
			if tc.want == "" {
				if len(errs) > 0 {
					t.Fatalf("errors: %+v", errs)
				}
			} else {
				expectCode(t, errs, "BAD_USER_INPUT")
				if !strings.Contains(errs[0].Message, tc.want) {
					t.Fatalf("message %q does not say %q", errs[0].Message, tc.want)
				}
			}
			if n := e.sim.RequestCount(); n != tc.calls {
				t.Fatalf("%d upstream calls, want %d", n, tc.calls)
			}
		})
	}

	t.Run("an account with more gateways than a walk merges", func(t *testing.T) {
		e.t = t
		e.resolver.Config.MaxWalkGateways = 4
		defer func() { e.resolver.Config.MaxWalkGateways = 10; rebuild(e) }()
		rebuild(e)
		e.sim.ResetRequests()
		errs := e.do(`{ account { logs(first: 3) { nodes { logId } } } }`, nil, nil)
		expectCode(t, errs, "BAD_USER_INPUT")
		if !strings.Contains(errs[0].Message, "more than 4 gateways") || !strings.Contains(errs[0].Message, "gatewayIds") {
			t.Fatalf("message %q", errs[0].Message)
		}
		if got := e.calls(); len(got) != 1 || got[0] != " page=1 per_page=5" {
			t.Fatalf("calls %q: want only the List Gateways call that finds a fifth gateway", got)
		}
	})

	t.Run("a bad accountId", func(t *testing.T) {
		e.t = t
		e.sim.ResetRequests()
		expectCode(t, e.do(`{ account(accountId: "not an account") { logs { nodes { logId } } } }`, nil, nil), "BAD_USER_INPUT")
		if n := e.sim.RequestCount(); n != 0 {
			t.Fatalf("%d upstream calls", n)
		}
	})
}

// TestAccountWalkWithoutResultInfo: List Gateways may answer without a
// total (as its spec documents); the walk over every gateway still finds
// them all, and still refuses an account with too many.
func TestAccountWalkWithoutResultInfo(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) {
		o.LogsPerGateway = 30
		o.ExtraGateways = 2
	})
	var p accountWalkPage
	e.mustDo(`{ account { logs(first: 200) { totalCount edges { node { logId gateway { gatewayId } } } } } }`, nil, &p)
	if p.Account.Logs.TotalCount != 90 || len(p.Account.Logs.Edges) != 90 {
		t.Fatalf("totalCount %d, %d logs: want the 90 logs of the five gateways", p.Account.Logs.TotalCount, len(p.Account.Logs.Edges))
	}
	e.resolver.Config.MaxWalkGateways = 4
	rebuild(e)
	expectCode(t, e.do(`{ account { logs(first: 3) { nodes { logId } } } }`, nil, nil), "BAD_USER_INPUT")
}

// TestAccountWalkFailingGateway: a gateway that fails fails the whole field
// (no merge of the others), and the error names it.
func TestAccountWalkFailingGateway(t *testing.T) {
	e, _ := newWalkEnv(t)
	check := func(t *testing.T, errs []gqlError, code, gateway string) {
		t.Helper()
		expectCode(t, errs, code)
		if !strings.Contains(errs[0].Message, "gateway "+gateway) || errs[0].Extensions["gatewayId"] != gateway {
			t.Fatalf("error %+v does not name gateway %s", errs[0], gateway)
		}
	}
	t.Run("a gateway that does not exist", func(t *testing.T) {
		e.t = t
		var p accountWalkPage
		errs := e.do(`{ account { logs(gatewayIds: ["staging", "nope", "eval"], first: 5) { nodes { logId } } } }`, nil, &p)
		check(t, errs, "NOT_FOUND", "nope")
	})
	t.Run("a gateway whose calls fail", func(t *testing.T) {
		e.t = t
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: 502, Gateway: "eval", Times: 20})
		defer e.sim.ClearFaults()
		var r struct {
			Account *struct{ Logs *struct{ Nodes []any } }
		}
		errs := e.do(`{ account { logs(first: 5) { nodes { logId } } } }`, nil, &r)
		check(t, errs, "UPSTREAM_ERROR", "eval")
		if r.Account == nil || r.Account.Logs != nil {
			t.Fatalf("data %+v: the field must be null, with no partial merge", r.Account)
		}
	})
}

// outOfOrder is an upstream whose list of one gateway comes back in
// reverse, as if it ignored order_by.
type outOfOrder struct {
	graph.Upstream
	gateway string
}

func (u outOfOrder) ListLogs(ctx context.Context, c restclient.Credentials, account, gateway string, p restclient.ListLogsParams) (*restclient.LogPage, error) {
	page, err := u.Upstream.ListLogs(ctx, c, account, gateway, p)
	if err == nil && gateway == u.gateway {
		for i, j := 0, len(page.Logs)-1; i < j; i, j = i+1, j-1 {
			page.Logs[i], page.Logs[j] = page.Logs[j], page.Logs[i]
		}
	}
	return page, err
}

// TestAccountWalkRefusesAnUnorderedGateway: logs that do not come in the
// requested order cannot be merged right; the field fails, naming the
// gateway, rather than return a merge that depends on the page.
func TestAccountWalkRefusesAnUnorderedGateway(t *testing.T) {
	e, _ := newWalkEnv(t)
	e.resolver.Upstream = outOfOrder{Upstream: e.resolver.Upstream, gateway: "eval"}
	rebuild(e)
	errs := e.do(`{ account { logs(gatewayIds: ["staging", "eval"], first: 20) { nodes { logId } } } }`, nil, nil)
	expectCode(t, errs, "UPSTREAM_ERROR")
	up, _ := errs[0].Extensions["upstream"].(map[string]any)
	if errs[0].Extensions["gatewayId"] != "eval" || up["reason"] != graph.ReasonOrderNotApplied {
		t.Fatalf("error %+v", errs[0])
	}
}

// TestAccountWalkCallsRunConcurrently: the gateways' calls are in flight
// together, as many as the request's upstream concurrency allows and no
// more. Held calls (cfsim's FaultHold) show it without timing: the test
// releases them only once the expected number has arrived.
func TestAccountWalkCallsRunConcurrently(t *testing.T) {
	for _, limit := range []int{2, 8} {
		t.Run(fmt.Sprintf("concurrency %d", limit), func(t *testing.T) {
			e, _ := newWalkEnv(t)
			e.resolver.Config.MaxConcurrentCalls = limit
			rebuild(e)
			gateways := `gatewayIds: ["prod-chat", "staging", "batch-jobs", "eval", "gw-001"]`
			held, release := make(chan struct{}, 5), make(chan struct{})
			e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Times: 5, Held: held, Release: release})
			e.sim.ResetRequests()
			done := make(chan []gqlError, 1)
			go func() { done <- e.do(`{ account { logs(`+gateways+`, first: 5) { nodes { logId } } } }`, nil, nil) }()
			want := min(limit, 5)
			for range want {
				select {
				case <-held:
				case errs := <-done:
					t.Fatalf("the query ended before %d calls were in flight together: %+v", want, errs)
				}
			}
			close(release)
			if errs := <-done; len(errs) > 0 {
				t.Fatalf("errors: %+v", errs)
			}
			if got := e.sim.MaxInFlight(); got != want {
				t.Fatalf("at most %d calls in flight together, want %d", got, want)
			}
		})
	}
}

// TestAccountWalkPrice: a walk is priced at each gateway's calls times the
// gateways (the most a walk may merge when it names none, plus the List
// Gateways call that finds them), and one over the limit is refused with how
// many gateways fit.
func TestAccountWalkPrice(t *testing.T) {
	e, _ := newWalkEnv(t)
	ids := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf("g%d", i)
		}
		return gatewayIDsArg(s)
	}
	cases := []struct {
		args  string
		price float64
	}{
		{ids(3) + "first: 7", 3},
		{ids(3) + "first: 120", 9},
		{ids(3) + `first: 120, after: "c"`, 12},
		{ids(2) + "last: 60", 8},             // the probe, and two pages of an unaligned window, each
		{ids(2) + `last: 5, before: "c"`, 4}, // an unaligned window each
		{ids(40) + "first: 7", 10},           // more than the limit is refused before any call: priced at the limit
		{"first: 20", 10 + 1},                // every gateway: as many as a walk may merge, and List Gateways
	}
	for _, tc := range cases {
		if got := e.priceOf(`{ account { logs(` + tc.args + `) { nodes { logId } } } }`); got != tc.price {
			t.Errorf("%s: price %.0f, want %.0f", tc.args, got, tc.price)
		}
	}

	e.resolver.Config.Limits.MaxUpstreamCalls = 30
	rebuild(e)
	errs := e.do(`{ account { logs(`+ids(8)+`first: 120, after: "c") { nodes { logId } } } }`, nil, nil)
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if !strings.Contains(errs[0].Message, "4 calls for each of its 8 gateways, so 7 of them fit") || errs[0].Extensions["walkGatewaysThatFit"] != 7.0 {
		t.Fatalf("error %+v: want how many gateways fit", errs[0])
	}
	e.sim.ResetRequests()
	errs = e.do(`{ account { logs(first: 120, after: "c") { nodes { logId } } } logs(gatewayId: "eval", first: 200) { nodes { logId } } }`, nil, nil)
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if !strings.Contains(errs[0].Message, "4 calls for each of its 10 gateways, so 6 of them fit") || e.sim.RequestCount() != 0 {
		t.Fatalf("error %+v: want 6 of 10 gateways to fit beside the rest ((30 − 1 − 4) / 4)", errs[0])
	}
}
