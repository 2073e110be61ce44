package graph_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// listCall renders an expected upstream list call the way env.calls does.
// By default it expects newest-first order and the snapshot filter alone;
// opts ("k=v") override or add parameters.
func listCall(snap, gw string, page, perPage int, opts ...string) string {
	params := map[string]string{
		"order_by": "created_at", "order_by_direction": "desc",
		"page": fmt.Sprint(page), "per_page": fmt.Sprint(perPage),
		"filters": "[" + snapFilter(snap) + "]",
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		params[k] = v
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	line := gw
	for _, k := range keys {
		line += " " + k + "=" + params[k]
	}
	return line
}

// withFilters is the filters option: the given upstream filters, then the
// snapshot bound, as one JSON array.
func withFilters(snap string, filters ...string) string {
	return "filters=[" + strings.Join(append(filters, snapFilter(snap)), ",") + "]"
}

// idCall renders an expected by-id lookup: `id eq [ids]` in one page of 50.
func idCall(gw string, ids ...string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf(`%s filters=[{"key":"id","operator":"eq","value":[%s]}] per_page=50`, gw, strings.Join(quoted, ","))
}

func TestUpstreamCallsPerQuery(t *testing.T) {
	e := newEnv(t)
	snap := e.pinClock()
	gw := "prod-chat"
	logs := e.sim.Logs(gw) // newest first, all older than the snapshot
	logID := func(i int) string { return logs[i].ID }
	total := len(logs)

	// cursorAt walks to position i and returns that edge's cursor, so that a
	// case can start from a real cursor (the walk's own calls are forgotten).
	cursorAt := func(i int) string {
		var r struct {
			Logs struct{ PageInfo struct{ EndCursor string } }
		}
		e.mustDo(fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { pageInfo { endCursor } } }`, i+1), nil, &r)
		e.sim.ResetRequests()
		return r.Logs.PageInfo.EndCursor
	}

	cases := []struct {
		name  string
		query string
		vars  func() map[string]any
		want  []string
	}{
		{"default page", `{ logs(gatewayId: "prod-chat") { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 20)}},
		{"first 3", `{ logs(gatewayId: "prod-chat", first: 3) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 3)}},
		{"first 50 is one page", `{ logs(gatewayId: "prod-chat", first: 50) { edges { cursor } } }`, nil,
			[]string{listCall(snap, gw, 1, 50)}},
		{"first 51 is two pages of 26", `{ logs(gatewayId: "prod-chat", first: 51) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 26), listCall(snap, gw, 2, 26)}},
		{"first 120 is three pages of 40", `{ logs(gatewayId: "prod-chat", first: 120) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 40), listCall(snap, gw, 2, 40), listCall(snap, gw, 3, 40)}},
		{"first 200 is four pages of 50", `{ logs(gatewayId: "prod-chat", first: 200) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 50), listCall(snap, gw, 2, 50), listCall(snap, gw, 3, 50), listCall(snap, gw, 4, 50)}},
		{"window 45..54 straddling 50 is one page of 11",
			`query($c: String) { logs(gatewayId: "prod-chat", first: 10, after: $c) { nodes { logId } } }`,
			func() map[string]any { return map[string]any{"c": cursorAt(44)} },
			[]string{listCall(snap, gw, 5, 11)}},
		{"after cursor 19, first 20 is page 2 of 20",
			`query($c: String) { logs(gatewayId: "prod-chat", first: 20, after: $c) { nodes { logId } } }`,
			func() map[string]any { return map[string]any{"c": cursorAt(19)} },
			[]string{listCall(snap, gw, 2, 20)}},
		{"last 5 before cursor 20 is page 4 of 5",
			`query($c: String) { logs(gatewayId: "prod-chat", last: 5, before: $c) { nodes { logId } } }`,
			func() map[string]any { return map[string]any{"c": cursorAt(20)} },
			[]string{listCall(snap, gw, 4, 5)}},
		{"last 5 from the end: a probe for the total, then the window",
			`{ logs(gatewayId: "prod-chat", last: 5) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 50), listCall(snap, gw, total/5, 5)}},
		{"first 0 still tells the total", `{ logs(gatewayId: "prod-chat", first: 0) { totalCount nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 1)}},
		{"totalCount alone is one smallest page", `{ logs(gatewayId: "prod-chat") { totalCount } }`, nil,
			[]string{listCall(snap, gw, 1, 1)}},
		{"summary asks meta_info, no extra call", `{ logs(gatewayId: "prod-chat") { totalCount summary { maxCost } } }`, nil,
			[]string{listCall(snap, gw, 1, 1, "meta_info=true")}},
		{"nodes with summary: one call", `{ logs(gatewayId: "prod-chat", first: 7) { nodes { logId } summary { minDuration } } }`, nil,
			[]string{listCall(snap, gw, 1, 7, "meta_info=true")}},
		{"provider eq", `{ logs(gatewayId: "prod-chat", first: 5, filter: {provider: {eq: "openai"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap, `{"key":"provider","operator":"eq","value":["openai"]}`))}},
		{"provider in is eq with several values", `{ logs(gatewayId: "prod-chat", first: 5, filter: {provider: {in: ["openai", "anthropic"]}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap, `{"key":"provider","operator":"eq","value":["openai","anthropic"]}`))}},
		{"model notIn is neq with several values", `{ logs(gatewayId: "prod-chat", first: 5, filter: {model: {notIn: ["gpt-4o", "gpt-4o-mini"]}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap, `{"key":"model","operator":"neq","value":["gpt-4o","gpt-4o-mini"]}`))}},
		{"model contains", `{ logs(gatewayId: "prod-chat", first: 5, filter: {model: {contains: "llama"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap, `{"key":"model","operator":"contains","value":["llama"]}`))}},
		{"cost range", `{ logs(gatewayId: "prod-chat", first: 5, filter: {cost: {gt: 0.001, lt: 0.5}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap,
				`{"key":"cost","operator":"lt","value":[0.5]}`, `{"key":"cost","operator":"gt","value":[0.001]}`))}},
		{"tokensIn gt and duration lt", `{ logs(gatewayId: "prod-chat", first: 5, filter: {tokensIn: {gt: 100}, duration: {lt: 2000}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap,
				`{"key":"tokens_in","operator":"gt","value":[100]}`, `{"key":"duration","operator":"lt","value":[2000]}`))}},
		{"success and cached", `{ logs(gatewayId: "prod-chat", first: 5, filter: {success: {eq: false}, cached: {eq: true}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap,
				`{"key":"success","operator":"eq","value":[false]}`, `{"key":"cached","operator":"eq","value":[true]}`))}},
		{"createdAt range in the past keeps the client's lt", `{ logs(gatewayId: "prod-chat", first: 5, filter: {createdAt: {gt: "2020-01-01T00:00:00Z", lt: "2021-01-01T00:00:00.0005Z"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, "filters=["+
				`{"key":"created_at","operator":"gt","value":["2020-01-01T00:00:00.000Z"]},`+
				`{"key":"created_at","operator":"lt","value":["2021-01-01T00:00:00.001Z"]}]`)}},
		{"createdAt lt in the future is capped by the snapshot", `{ logs(gatewayId: "prod-chat", first: 5, filter: {createdAt: {lt: "2999-01-01T00:00:00Z"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5)}},
		{"metadata key and value", `{ logs(gatewayId: "prod-chat", first: 5, filter: {metadataKey: {eq: "team"}, metadataValue: {eq: "search"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap,
				`{"key":"metadata.key","operator":"eq","value":["team"]}`, `{"key":"metadata.value","operator":"eq","value":["search"]}`))}},
		{"the other keys", `{ logs(gatewayId: "prod-chat", first: 5, filter: {feedback: {eq: 1}, eventId: {neq: "e"}, authentication: {eq: true}, wholesale: {eq: false}, compatibilityMode: {eq: true}, dlpAction: {eq: "FLAG"}, userAgent: {contains: "curl"}, requestType: {eq: "universal"}, requestContentType: {eq: "application/json"}, responseContentType: {contains: "json"}, modelType: {eq: "chat"}, tokens: {gt: 10}, tokensOut: {lt: 5000}, logId: {neq: "x"}}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, withFilters(snap,
				`{"key":"id","operator":"neq","value":["x"]}`,
				`{"key":"request_content_type","operator":"eq","value":["application/json"]}`,
				`{"key":"response_content_type","operator":"contains","value":["json"]}`,
				`{"key":"request_type","operator":"eq","value":["universal"]}`,
				`{"key":"model_type","operator":"eq","value":["chat"]}`,
				`{"key":"tokens","operator":"gt","value":[10]}`,
				`{"key":"tokens_out","operator":"lt","value":[5000]}`,
				`{"key":"feedback","operator":"eq","value":[1]}`,
				`{"key":"event_id","operator":"neq","value":["e"]}`,
				`{"key":"authentication","operator":"eq","value":[true]}`,
				`{"key":"wholesale","operator":"eq","value":[false]}`,
				`{"key":"compatibilityMode","operator":"eq","value":[true]}`,
				`{"key":"dlp_action","operator":"eq","value":["FLAG"]}`,
				`{"key":"user_agent","operator":"contains","value":["curl"]}`))}},
		{"order by provider asc", `{ logs(gatewayId: "prod-chat", first: 5, orderBy: {field: PROVIDER, direction: ASC}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, "order_by=provider", "order_by_direction=asc")}},
		{"order by model, default direction", `{ logs(gatewayId: "prod-chat", first: 5, orderBy: {field: MODEL}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, "order_by=model")}},
		{"order by model type, success, cached", `{ a: logs(gatewayId: "prod-chat", first: 5, orderBy: {field: MODEL_TYPE}) { nodes { logId } } b: logs(gatewayId: "prod-chat", first: 5, orderBy: {field: SUCCESS, direction: ASC}) { nodes { logId } } c: logs(gatewayId: "prod-chat", first: 5, orderBy: {field: CACHED}) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, "order_by=model_type"), listCall(snap, gw, 1, 5, "order_by=success", "order_by_direction=asc"), listCall(snap, gw, 1, 5, "order_by=cached")}},
		{"search passes through", `{ logs(gatewayId: "prod-chat", first: 5, search: "gpt & co") { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 5, "search=gpt & co")}},
		{"identical aliases are one call", `{ a: logs(gatewayId: "prod-chat", first: 4) { nodes { logId } } b: logs(gatewayId: "prod-chat", first: 4) { nodes { provider } } }`, nil,
			[]string{listCall(snap, gw, 1, 4)}},
		{"Query.logs and AIGateway.logs share a call", `{ logs(gatewayId: "prod-chat", first: 4) { nodes { logId } } gateway(gatewayId: "prod-chat") { logs(first: 4) { totalCount nodes { model } } } }`, nil,
			[]string{listCall(snap, gw, 1, 4)}},
		{"distinct aliases are distinct calls", `{ a: logs(gatewayId: "prod-chat", first: 4) { nodes { logId } } b: logs(gatewayId: "prod-chat", first: 5) { nodes { logId } } }`, nil,
			[]string{listCall(snap, gw, 1, 4), listCall(snap, gw, 1, 5)}},
		{"three gateways", `{ a: logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } b: logs(gatewayId: "staging", first: 2) { nodes { logId } } c: gateway(gatewayId: "batch-jobs") { logs(first: 2) { nodes { logId } } } }`, nil,
			[]string{listCall(snap, gw, 1, 2), listCall(snap, "staging", 1, 2), listCall(snap, "batch-jobs", 1, 2)}},
		{"gateway alone costs nothing", `{ gateway(gatewayId: "prod-chat") { id gatewayId accountId } }`, nil, nil},
		{"node of a gateway costs nothing",
			`query($id: ID!) { node(id: $id) { id ... on AIGateway { gatewayId } } }`,
			func() map[string]any { return map[string]any{"id": globalid.Gateway(e.sim.AccountID(), gw)} },
			nil},
		{"node of a log is an id lookup",
			`query($id: ID!) { node(id: $id) { ... on AIGatewayLog { logId provider } } }`,
			func() map[string]any { return map[string]any{"id": globalid.Log(e.sim.AccountID(), gw, logID(3))} },
			[]string{idCall(gw, logID(3))}},
		{"nodes of one gateway are one call, repeats once",
			`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
			func() map[string]any {
				a := e.sim.AccountID()
				return map[string]any{"ids": []string{globalid.Log(a, gw, logID(1)), globalid.Log(a, gw, logID(2)), globalid.Log(a, gw, logID(1)), globalid.Log(a, gw, logID(9))}}
			},
			[]string{idCall(gw, logID(1), logID(2), logID(9))}},
		{"AIGateway.log aliases batch into one call",
			fmt.Sprintf(`{ gateway(gatewayId: "prod-chat") { a: log(logId: %q) { provider } b: log(logId: %q) { provider } } }`, logs[5].ID, logs[6].ID), nil,
			[]string{idCall(gw, logs[5].ID, logs[6].ID)}},
		{"a log listed earlier in the request is not fetched again",
			fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: 3) { nodes { logId gateway { log(logId: %q) { model } } } } }`, logs[1].ID), nil,
			[]string{listCall(snap, gw, 1, 3)}},
	}
	if len(cases) < 30 {
		t.Fatalf("the table must hold at least 30 queries, has %d", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			var vars map[string]any
			if tc.vars != nil {
				vars = tc.vars()
			}
			e.mustDo(tc.query, vars, nil)
			e.expectCalls(tc.want...)
		})
	}
}
