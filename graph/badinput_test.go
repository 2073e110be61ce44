package graph_test

import (
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestPagingMistakesAreBadInputWithoutACall covers DESIGN's paging rules:
// both first and last, negatives, over the maximum, malformed cursors and
// cursors of another query are refused before any upstream call.
func TestPagingMistakesAreBadInputWithoutACall(t *testing.T) {
	e := newEnv(t)
	var r struct {
		Logs struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 2) { pageInfo { endCursor } } }`, nil, &r)
	cursor := r.Logs.PageInfo.EndCursor
	cases := map[string]string{
		"first and last":     `{ logs(gatewayId: "prod-chat", first: 1, last: 1) { totalCount } }`,
		"negative first":     `{ logs(gatewayId: "prod-chat", first: -1) { totalCount } }`,
		"negative last":      `{ logs(gatewayId: "prod-chat", last: -3) { totalCount } }`,
		"first over maximum": `{ logs(gatewayId: "prod-chat", first: 201) { totalCount } }`,
		"last over maximum":  `{ logs(gatewayId: "prod-chat", last: 1000) { totalCount } }`,
		"garbage cursor":     `{ logs(gatewayId: "prod-chat", after: "not-a-cursor") { totalCount } }`,
		"truncated cursor":   `{ logs(gatewayId: "prod-chat", after: "` + cursor[:len(cursor)/2] + `") { totalCount } }`,
		"other gateway":      `{ logs(gatewayId: "staging", after: "` + cursor + `") { totalCount } }`,
		"other filter":       `{ logs(gatewayId: "prod-chat", after: "` + cursor + `", filter: {cached: {eq: true}}) { totalCount } }`,
		"other order":        `{ logs(gatewayId: "prod-chat", after: "` + cursor + `", orderBy: {field: MODEL}) { totalCount } }`,
		"other search":       `{ logs(gatewayId: "prod-chat", before: "` + cursor + `", search: "x") { totalCount } }`,
		"empty in list":      `{ logs(gatewayId: "prod-chat", filter: {provider: {in: []}}) { totalCount } }`,
		"bad gateway id":     `{ logs(gatewayId: "../other") { totalCount } }`,
		"bad account id":     `{ logs(gatewayId: "prod-chat", accountId: "a/b") { totalCount } }`,
		"invalid global id":  `{ node(id: "bm9wZQ") { id } }`,
		"bad DateTime":       `{ logs(gatewayId: "prod-chat", filter: {createdAt: {gt: "yesterday"}}) { totalCount } }`,
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			errs := e.do(q, nil, nil)
			expectCode(t, errs, "BAD_USER_INPUT")
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls for bad input", n)
			}
		})
	}
}

// TestMissingAccountIsBadInput: with no default account, a query without
// accountId says so clearly.
func TestMissingAccountIsBadInput(t *testing.T) {
	e := newEnv(t)
	e.resolver.Config.DefaultAccountID = ""
	errs := e.do(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, nil)
	expectCode(t, errs, "BAD_USER_INPUT")
	if !strings.Contains(errs[0].Message, "accountId") {
		t.Fatalf("message %q does not name accountId", errs[0].Message)
	}
	// …and an explicit accountId works.
	var r struct{ Logs struct{ TotalCount int } }
	e.mustDo(`query($a: ID) { logs(gatewayId: "prod-chat", accountId: $a) { totalCount } }`, map[string]any{"a": e.sim.AccountID()}, &r)
	if r.Logs.TotalCount == 0 {
		t.Fatal("no logs with an explicit account")
	}
	_ = globalid.KindLog
}
