package graph_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/aigw/gqlfacade/graph"
)

// postAnswer is what a client reads of an answer to a POST.
type postAnswer struct {
	status int
	header http.Header
	body   map[string]any
}

func postTo(t *testing.T, h http.Handler, accept, body string) postAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("the answer is not a JSON object: %v (%s)", err, rec.Body.String())
	}
	return postAnswer{rec.Code, rec.Result().Header, out}
}

// TestPOSTParityWithGqlgen: our POST transport answers as gqlgen's
// transport.POST does on the same stack — the same Content-Type for each
// Accept, the same headers, the same data and errors — except where the
// GraphQL-over-HTTP specification asks otherwise of an answer without data:
//   - a request error (the request never ran) is 200 in application/json,
//     where gqlgen answers a parse or validation failure with 422, and 400 in
//     application/graphql-response+json, where gqlgen answers an error of
//     its extensions (QUERY_TOO_EXPENSIVE) with 200;
//   - it has no "data" member, where gqlgen writes "data": null;
//   - a body that is not a request object is 400 in both, with
//     BAD_USER_INPUT in ours (gqlgen's message also echoes the body).
func TestPOSTParityWithGqlgen(t *testing.T) {
	e := newEnv(t)
	ours := e.handler
	theirs := graph.NewHandlerWithTransports(e.resolver, transport.Options{}, transport.GET{}, transport.POST{})

	var expensive strings.Builder
	expensive.WriteString(`{ `)
	for i := range 40 {
		expensive.WriteString(`a` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `: logs(gatewayId: \"prod-chat\", first: 200) { nodes { logId } } `)
	}
	expensive.WriteString(`}`)

	const (
		ran          = iota // executed: data, maybe errors beside it
		requestError        // well formed, but it never ran
		malformed           // not a GraphQL request object
	)
	cases := []struct {
		name string
		kind int
		body string
	}{
		{"success", ran, `{"query":"{ gateway(gatewayId: \"prod-chat\") { gatewayId } }"}`},
		{"success with variables and operationName", ran, `{"query":"query G($g: ID!) { gateway(gatewayId: $g) { gatewayId } }","operationName":"G","variables":{"g":"prod-chat"}}`},
		{"field error beside data", ran, `{"query":"{ gateway(gatewayId: \"prod-chat\") { gatewayId } logs(gatewayId: \"prod-chat\", first: -1) { totalCount } }"}`},
		{"parse error", requestError, `{"query":"{"}`},
		{"validation error", requestError, `{"query":"{ noSuchField }"}`},
		{"variable coercion error", requestError, `{"query":"query($g: ID!) { gateway(gatewayId: $g) { gatewayId } }","variables":{"g":null}}`},
		{"unknown operationName", requestError, `{"query":"query A { __typename }","operationName":"B"}`},
		{"refused before it ran", requestError, `{"query":"` + expensive.String() + `"}`},
		{"malformed JSON", malformed, `{"query": "{ __typename }"`},
		{"query of the wrong type", malformed, `{"query": 5}`},
	}
	accepts := []string{
		"",
		"application/json",
		"application/graphql-response+json",
		"application/graphql-response+json,application/json;q=0.9", // Apollo Client 4
		"application/json;q=0.9, application/graphql-response+json",
		"*/*",
		"application/*",
		"text/html",
		"text/html, application/graphql-response+json",
		"text/event-stream;q=x, application/json",
	}
	for _, tc := range cases {
		for _, accept := range accepts {
			t.Run(tc.name+"/Accept="+accept, func(t *testing.T) {
				e.t = t
				got, want := postTo(t, ours, accept, tc.body), postTo(t, theirs, accept, tc.body)
				if !reflect.DeepEqual(without(got.header, "Content-Length"), without(want.header, "Content-Length")) {
					t.Fatalf("headers %v, gqlgen's %v", got.header, want.header)
				}
				mediaType := want.header.Get("Content-Type")
				errs, _ := got.body["errors"].([]any)
				for _, e := range errs {
					if ext, _ := e.(map[string]any)["extensions"].(map[string]any); ext["code"] == nil {
						t.Fatalf("an error without extensions.code: %v", e)
					}
				}
				switch tc.kind {
				case ran:
					if got.status != want.status || !reflect.DeepEqual(got.body, want.body) {
						t.Fatalf("answer %d %v, gqlgen's %d %v", got.status, got.body, want.status, want.body)
					}
					if got.body["data"] == nil {
						t.Fatalf("no data in %v", got.body)
					}
				case requestError:
					wantStatus := http.StatusOK
					if mediaType == "application/graphql-response+json" {
						wantStatus = http.StatusBadRequest
					}
					if got.status != wantStatus {
						t.Fatalf("status %d in %s, want %d (gqlgen's %d)", got.status, mediaType, wantStatus, want.status)
					}
					if _, has := got.body["data"]; has {
						t.Fatalf(`a request error with "data": %v`, got.body)
					}
					if d, has := want.body["data"]; !has || d != nil {
						t.Fatalf(`gqlgen's request error now has "data" %v: this test's premise changed`, want.body)
					}
					if !reflect.DeepEqual(got.body, without(want.body, "data")) {
						t.Fatalf("answer %v, gqlgen's %v", got.body, want.body)
					}
				case malformed:
					if got.status != http.StatusBadRequest || want.status != http.StatusBadRequest {
						t.Fatalf("status %d, gqlgen's %d, want 400 for both", got.status, want.status)
					}
					if _, has := got.body["data"]; has || len(errs) != 1 {
						t.Fatalf("answer %v, want one error and no data", got.body)
					}
					if code := errs[0].(map[string]any)["extensions"].(map[string]any)["code"]; code != graph.CodeBadUserInput {
						t.Fatalf("code %v, want %s", code, graph.CodeBadUserInput)
					}
				}
			})
		}
	}
}

// without is m with keys left out.
func without[M ~map[string]V, V any](m M, keys ...string) M {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
