package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rawPost sends a body to the GraphQL endpoint as any HTTP client would and
// returns the HTTP status and the GraphQL errors (if the answer has any).
func (e *env) rawPost(contentType, body string) (int, []gqlError) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	var out struct{ Errors []gqlError }
	b, _ := io.ReadAll(rec.Body)
	_ = json.Unmarshal(b, &out)
	return rec.Code, out.Errors
}

func gqlBody(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// TestBadInputCatalogue: every kind of bad input gets a clear answer — the
// right extensions.code, or an HTTP status where GraphQL parsing never
// starts — and makes no upstream call at all.
func TestBadInputCatalogue(t *testing.T) {
	e := newEnv(t)
	var first struct {
		Logs struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 2) { pageInfo { endCursor } } }`, nil, &first)
	cursor := first.Logs.PageInfo.EndCursor
	forged := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("c1.%d.7.0123456789abcdef", time.Now().UnixMilli()-1000)))
	future := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("c1.%d.7.0123456789abcdef", time.Now().Add(24*time.Hour).UnixMilli())))
	logsQ := func(args string) string { return `{ logs(gatewayId: "prod-chat"` + args + `) { totalCount } }` }
	gwQ := func(id string) string {
		return gqlBody(`query($g: ID!) { logs(gatewayId: $g) { totalCount } }`, map[string]any{"g": id})
	}
	nodeQ := func(id string) string {
		return gqlBody(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	}
	encID := func(parts ...string) string {
		b, _ := json.Marshal(parts)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	manyIDs := make([]string, 201)
	for i := range manyIDs {
		manyIDs[i] = encID("Log", e.sim.AccountID(), "prod-chat", fmt.Sprint("id", i))
	}
	manyValues := make([]string, 101)
	for i := range manyValues {
		manyValues[i] = fmt.Sprint("v", i)
	}
	deep := `{ logs(gatewayId: "prod-chat", first: 1) { nodes { gateway { logs(first: 1) { nodes { gateway { logs(first: 1) { nodes { gateway { logs(first: 1) { nodes { gateway { logs(first: 1) { nodes { logId } } } } } } } } } } } } } } }`
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := range 600 {
		fmt.Fprintf(&aliases, " a%d: gateway(gatewayId: \"prod-chat\") { gatewayId }", i)
	}
	aliases.WriteString(" }")
	var expensive strings.Builder
	expensive.WriteString("{")
	for i := range 20 {
		fmt.Fprintf(&expensive, " a%d: logs(gatewayId: \"prod-chat\", first: 200, after: %q) { totalCount nodes { logId } }", i, cursor)
	}
	expensive.WriteString(" }")
	fragBomb := `query { ...F0 } fragment F0 on Query { ...F1 ...F1b } fragment F1 on Query { ...F2 ...F2b } fragment F1b on Query { ...F2 ...F2b } fragment F2 on Query { ...F3 ...F3b } fragment F2b on Query { ...F3 ...F3b } fragment F3 on Query { ...F4 ...F4b } fragment F3b on Query { ...F4 ...F4b } fragment F4 on Query { ...F5 ...F5b } fragment F4b on Query { ...F5 ...F5b } fragment F5 on Query { ...F6 ...F6b } fragment F5b on Query { ...F6 ...F6b } fragment F6 on Query { ...F7 ...F7b } fragment F6b on Query { ...F7 ...F7b } fragment F7 on Query { ...F8 ...F8b } fragment F7b on Query { ...F8 ...F8b } fragment F8 on Query { ...F9 ...F9b } fragment F8b on Query { ...F9 ...F9b } fragment F9 on Query { ...F10 ...F10b } fragment F9b on Query { ...F10 ...F10b } fragment F10 on Query { gateway(gatewayId: "prod-chat") { gatewayId } } fragment F10b on Query { gateway(gatewayId: "prod-chat") { accountId } }`
	withFilter := func(f any) string {
		return gqlBody(`query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", filter: $f) { totalCount } }`, map[string]any{"f": f})
	}

	const json_ = "application/json"
	cases := []struct {
		name, contentType, body string
		status                  int    // expected HTTP status when GraphQL never starts; else 0: 200, as the request sends no Accept
		code                    string // expected extensions.code
	}{
		// The body never becomes GraphQL.
		{"malformed JSON", json_, `{"query": "{ logs`, 400, "BAD_USER_INPUT"},
		{"truncated JSON", json_, `{"query": "{ gateway(gatewayId: \"x\") { id } }", "variables": {`, 400, "BAD_USER_INPUT"},
		{"JSON array body", json_, `[1, 2, 3]`, 400, "BAD_USER_INPUT"},
		{"query not a string", json_, `{"query": 5}`, 400, "BAD_USER_INPUT"},
		{"variables not an object", json_, `{"query": "{ __typename }", "variables": "x"}`, 400, "BAD_USER_INPUT"},
		{"unsupported content type", "text/plain", `{ __typename }`, 415, "BAD_USER_INPUT"},
		{"oversized body", json_, gqlBody(`{ __typename }`, map[string]any{"pad": strings.Repeat("x", 70<<10)}), 413, "BAD_USER_INPUT"},
		{"empty body", json_, ``, 400, "BAD_USER_INPUT"},
		// GraphQL that does not parse or validate.
		{"garbage query", json_, gqlBody(`}}} not graphql {{{`, nil), 0, "GRAPHQL_PARSE_FAILED"},
		{"truncated query", json_, gqlBody(`{ logs(gatewayId: "prod-chat"`, nil), 0, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", json_, gqlBody(`{ logs(gatewayId: "prod-chat") { secrets } }`, nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown argument", json_, gqlBody(`{ logs(gatewayId: "prod-chat", limit: 5) { totalCount } }`, nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"missing gatewayId", json_, gqlBody(`{ logs { totalCount } }`, nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"wrong literal type", json_, gqlBody(logsQ(`, first: "ten"`), nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"invalid enum literal", json_, gqlBody(logsQ(`, orderBy: {field: COST}`), nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"invalid enum variable", json_, gqlBody(`query($o: AIGatewayLogOrder) { logs(gatewayId: "prod-chat", orderBy: $o) { totalCount } }`, map[string]any{"o": map[string]any{"field": "COST"}}), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"wrong variable type", json_, gqlBody(`query($n: Int) { logs(gatewayId: "prod-chat", first: $n) { totalCount } }`, map[string]any{"n": "ten"}), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"huge Int", json_, gqlBody(logsQ(`, first: 99999999999`), nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown filter field", json_, withFilter(map[string]any{"password": map[string]any{"eq": "x"}}), 0, "GRAPHQL_VALIDATION_FAILED"},
		{"huge Float", json_, gqlBody(logsQ(`, filter: {cost: {gt: 1e400}}`), nil), 0, "GRAPHQL_VALIDATION_FAILED"},
		// Paging.
		{"first and last", json_, gqlBody(logsQ(`, first: 1, last: 1`), nil), 0, "BAD_USER_INPUT"},
		{"negative first", json_, gqlBody(logsQ(`, first: -1`), nil), 0, "BAD_USER_INPUT"},
		{"negative last", json_, gqlBody(logsQ(`, last: -1`), nil), 0, "BAD_USER_INPUT"},
		{"oversized first", json_, gqlBody(logsQ(`, first: 201`), nil), 0, "BAD_USER_INPUT"},
		{"oversized last", json_, gqlBody(logsQ(`, last: 5000`), nil), 0, "BAD_USER_INPUT"},
		{"garbage cursor", json_, gqlBody(logsQ(`, after: "%%%"`), nil), 0, "BAD_USER_INPUT"},
		{"truncated cursor", json_, gqlBody(logsQ(`, after: "`+cursor[:len(cursor)-5]+`"`), nil), 0, "BAD_USER_INPUT"},
		{"forged cursor", json_, gqlBody(logsQ(`, after: "`+forged+`"`), nil), 0, "BAD_USER_INPUT"},
		{"cursor from the future", json_, gqlBody(logsQ(`, before: "`+future+`"`), nil), 0, "BAD_USER_INPUT"},
		{"foreign cursor", json_, gqlBody(`{ logs(gatewayId: "staging", after: "`+cursor+`") { totalCount } }`, nil), 0, "BAD_USER_INPUT"},
		// Ids that could reach into the upstream URL.
		{"gateway ../", json_, gwQ("../other-account"), 0, "BAD_USER_INPUT"},
		{"gateway %2F", json_, gwQ("a%2Fb"), 0, "BAD_USER_INPUT"},
		{"gateway ?", json_, gwQ("a?page=9"), 0, "BAD_USER_INPUT"},
		{"gateway #", json_, gwQ("a#b"), 0, "BAD_USER_INPUT"},
		{"gateway whitespace", json_, gwQ("prod chat"), 0, "BAD_USER_INPUT"},
		{"gateway control character", json_, gwQ("prod\u0000chat"), 0, "BAD_USER_INPUT"},
		{"gateway 65 characters", json_, gwQ(strings.Repeat("g", 65)), 0, "BAD_USER_INPUT"},
		{"gateway empty", json_, gwQ(""), 0, "BAD_USER_INPUT"},
		{"account with slash", json_, gqlBody(logsQ(`, accountId: "acc/../x"`), nil), 0, "BAD_USER_INPUT"},
		// Global ids and id lists.
		{"invalid global id", json_, nodeQ("definitely-not-an-id"), 0, "BAD_USER_INPUT"},
		{"global id of unknown kind", json_, nodeQ(encID("User", "a", "b")), 0, "BAD_USER_INPUT"},
		{"global id smuggling a path", json_, nodeQ(encID("Log", e.sim.AccountID(), "../x", "id")), 0, "BAD_USER_INPUT"},
		{"empty id list", json_, gqlBody(`{ nodes(ids: []) { id } }`, nil), 0, "BAD_USER_INPUT"},
		{"oversized id list", json_, gqlBody(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": manyIDs}), 0, "BAD_USER_INPUT"},
		{"empty logId", json_, gqlBody(`{ gateway(gatewayId: "prod-chat") { log(logId: "") { model } } }`, nil), 0, "BAD_USER_INPUT"},
		// Filters.
		{"invalid DateTime", json_, gqlBody(logsQ(`, filter: {createdAt: {gt: "last tuesday"}}`), nil), 0, "BAD_USER_INPUT"},
		{"DateTime of wrong type", json_, withFilter(map[string]any{"createdAt": map[string]any{"lt": 12345}}), 0, "BAD_USER_INPUT"},
		{"empty in list", json_, withFilter(map[string]any{"provider": map[string]any{"in": []string{}}}), 0, "BAD_USER_INPUT"},
		{"oversized in list", json_, withFilter(map[string]any{"provider": map[string]any{"in": manyValues}}), 0, "BAD_USER_INPUT"},
		// Abuse.
		{"deep nesting", json_, gqlBody(deep, nil), 0, "QUERY_TOO_EXPENSIVE"},
		{"alias bomb", json_, gqlBody(aliases.String(), nil), 0, "QUERY_TOO_EXPENSIVE"},
		{"fragment bomb", json_, gqlBody(fragBomb, nil), 0, "QUERY_TOO_EXPENSIVE"},
		{"too many upstream calls", json_, gqlBody(expensive.String(), nil), 0, "QUERY_TOO_EXPENSIVE"},
	}
	if len(cases) < 40 {
		t.Fatalf("the catalogue must hold at least 40 cases, has %d", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			status, errs := e.rawPost(tc.contentType, tc.body)
			want := tc.status
			if want == 0 {
				want = http.StatusOK
			}
			if status != want {
				t.Fatalf("HTTP %d, want %d (errors %+v)", status, want, errs)
			}
			expectCode(t, errs, tc.code)
			if errs[0].Message == "" {
				t.Fatal("an error without a message")
			}
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls for bad input", n)
			}
		})
	}
}
