package graph_test

import (
	"fmt"
	"testing"
)

// rawBody is a request body with the variables written as raw JSON, so a
// test controls exactly how a number or string is spelled.
func rawBody(query, variablesJSON string) string {
	return fmt.Sprintf(`{"query":%q,"variables":%s}`, query, variablesJSON)
}

// TestVariablesAreCoercedStrictly: every argument that changes the price,
// given as a variable in a form GraphQL's input coercion refuses, is a
// request error with no upstream call; forms it accepts are priced from
// the value execution uses, so no form buys more calls than its price.
func TestVariablesAreCoercedStrictly(t *testing.T) {
	e := newEnv(t)
	expensive := `query($n: Int) { logs(gatewayId: "prod-chat", first: $n) { nodes { logId requestBody responseBody } } }`
	requestError := "GRAPHQL_VALIDATION_FAILED"
	cases := []struct {
		name, query, vars string
		code              string // "" = runs
	}{
		{"Int as JSON integer", expensive, `{"n": 200}`, "QUERY_TOO_EXPENSIVE"},
		{"Int as float", expensive, `{"n": 200.0}`, requestError},
		{"Int in exponent form", expensive, `{"n": 2e2}`, requestError},
		{"Int as string", expensive, `{"n": "200"}`, requestError},
		{"Int as fraction", expensive, `{"n": 200.5}`, requestError},
		{"Int over 32 bits", expensive, `{"n": 3000000000}`, requestError},
		{"Int over 64 bits", expensive, `{"n": 9223372036854775808}`, requestError},
		{"Int as boolean", expensive, `{"n": true}`, requestError},
		{"Int null means the default", expensive, `{"n": null}`, ""},
		{"last as string", `query($n: Int) { logs(gatewayId: "prod-chat", last: $n) { nodes { logId requestBody } } }`, `{"n": "200"}`, requestError},
		{"AIGateway.logs first as string", `query($n: Int) { gateway(gatewayId: "prod-chat") { logs(first: $n) { nodes { requestBody } } } }`, `{"n": "200"}`, requestError},
		{"gateways first as string", `query($n: Int) { gateways(first: $n) { totalCount } }`, `{"n": "100"}`, requestError},
		{"after as number", `query($c: String) { logs(gatewayId: "prod-chat", after: $c) { totalCount } }`, `{"c": 12}`, requestError},
		{"filter Int as string", `query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", filter: $f) { totalCount } }`, `{"f": {"tokensIn": {"gt": "5"}}}`, requestError},
		{"filter Int over 32 bits", `query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", filter: $f) { totalCount } }`, `{"f": {"tokensIn": {"gt": 9223372036854775807}}}`, requestError},
		{"filter Int list item as string", `query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", filter: $f) { totalCount } }`, `{"f": {"statusCode": {"in": [200, "500"]}}}`, requestError},
		{"filter Float as string", `query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", filter: $f) { totalCount } }`, `{"f": {"cost": {"gt": "0.5"}}}`, requestError},
		{"enum in another case", `query($o: AIGatewayLogOrder) { logs(gatewayId: "prod-chat", orderBy: $o) { totalCount } }`, `{"o": {"field": "created_at"}}`, requestError},
		{"Int literal over 32 bits", `{ logs(gatewayId: "prod-chat", filter: {tokensIn: {gt: 9223372036854775807}}) { totalCount } }`, `{}`, requestError},
		{"Int literal just over 32 bits", `{ logs(gatewayId: "prod-chat", filter: {tokensIn: {gt: 2147483648}}) { totalCount } }`, `{}`, requestError},
		{"Int literal at 32 bits", `{ logs(gatewayId: "prod-chat", filter: {tokensIn: {gt: 2147483647}}) { totalCount } }`, `{}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			_, errs := e.rawPost("application/json", rawBody(tc.query, tc.vars))
			if tc.code == "" {
				if len(errs) > 0 {
					t.Fatalf("refused: %+v", errs)
				}
				return
			}
			expectCode(t, errs, tc.code)
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls for a refused request", n)
			}
		})
	}
}
