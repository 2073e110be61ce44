package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph"
)

// httpAnswer is an answer as a client reads it.
type httpAnswer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// errs is the answer's GraphQL errors.
func (a httpAnswer) errs() []gqlError {
	var out struct{ Errors []gqlError }
	_ = json.Unmarshal([]byte(a.raw), &out)
	return out.Errors
}

func serve(t *testing.T, h http.Handler, req *http.Request) httpAnswer {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := httpAnswer{status: rec.Code, header: rec.Result().Header, raw: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("%s %s: the answer (%d) is not a JSON object: %s", req.Method, req.URL, rec.Code, rec.Body.String())
	}
	return a
}

// TestRequestErrorsOverGET: a GET is answered as a POST is — a request
// error (it did not parse, validate or coerce) is 200 in application/json
// and 400 in application/graphql-response+json, chosen from Accept, and has
// no "data" member; an executed query has its data.
func TestRequestErrorsOverGET(t *testing.T) {
	e := newEnv(t)
	get := func(query, variables, accept string) httpAnswer {
		v := url.Values{"query": {query}}
		if variables != "" {
			v.Set("variables", variables)
		}
		req := httptest.NewRequest(http.MethodGet, "/query?"+v.Encode(), nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return serve(t, e.handler, req)
	}
	requestErrors := map[string][2]string{
		"parse":    {`{`, ""},
		"validate": {`{ noSuchField }`, ""},
		"coerce":   {`query($g: ID!) { gateway(gatewayId: $g) { gatewayId } }`, `{"g": null}`},
	}
	for name, q := range requestErrors {
		for accept, want := range map[string]struct {
			status    int
			mediaType string
		}{
			"":                                  {200, "application/json"},
			"application/json":                  {200, "application/json"},
			"application/graphql-response+json": {400, "application/graphql-response+json"},
			"application/graphql-response+json,application/json;q=0.9": {400, "application/graphql-response+json"},
		} {
			a := get(q[0], q[1], accept)
			if a.status != want.status || a.header.Get("Content-Type") != want.mediaType {
				t.Errorf("%s, Accept %q: %d %s, want %d %s", name, accept, a.status, a.header.Get("Content-Type"), want.status, want.mediaType)
			}
			if _, has := a.body["data"]; has || len(a.errs()) == 0 || a.errs()[0].code() == "" {
				t.Errorf(`%s, Accept %q: %s, want coded errors and no "data"`, name, accept, a.raw)
			}
		}
	}
	a := get(`{ gateway(gatewayId: "prod-chat") { gatewayId } }`, "", "application/graphql-response+json")
	if a.status != 200 || a.body["data"] == nil || a.body["errors"] != nil {
		t.Fatalf("a query over GET: %d %s", a.status, a.raw)
	}
}

// TestEveryRefusalIsCoded: the answers that never reach GraphQL — a
// mutation over GET, a POST that is not JSON, a method or an upgrade that
// is not served, a request without a query, a body over the limit with or
// without Content-Length — carry extensions.code, in the media type the
// request accepts, without "data"; and none of them calls the upstream.
func TestEveryRefusalIsCoded(t *testing.T) {
	e := newEnv(t)
	oversized := `{"query": "{ __typename }", "extensions": {"pad": "` + strings.Repeat("x", int(e.resolver.Config.MaxBodyBytes)) + `"}}`
	req := func(method, target, contentType, body string, header ...string) func() *http.Request {
		return func() *http.Request {
			r := newRequest(method, target, body)
			if contentType != "" {
				r.Header.Set("Content-Type", contentType)
			}
			for i := 0; i+1 < len(header); i += 2 {
				r.Header.Set(header[i], header[i+1])
			}
			return r
		}
	}
	chunked := func() *http.Request {
		r := req(http.MethodPost, "/query", "application/json", "")()
		r.ContentLength, r.Body = -1, io.NopCloser(strings.NewReader(oversized)) // a length not known up front
		return r
	}
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		header string // a header the answer must have, "Name: value"
	}{
		{"mutation over GET", req(http.MethodGet, "/query?query="+url.QueryEscape(`mutation { updateLog(id: "x", feedback: 1) { logId } }`), "", ""), 405, "Allow: POST"},
		{"POST of text/plain", req(http.MethodPost, "/query", "text/plain", `{"query": "{ __typename }"}`), 415, ""},
		{"POST without Content-Type", req(http.MethodPost, "/query", "", `{"query": "{ __typename }"}`), 415, ""},
		{"PUT", req(http.MethodPut, "/query", "application/json", `{"query": "{ __typename }"}`), 405, "Allow: GET, POST, OPTIONS"},
		{"WebSocket upgrade", req(http.MethodGet, "/query", "", "", "Upgrade", "websocket", "Connection", "Upgrade"), 400, ""},
		{"POST without a query", req(http.MethodPost, "/query", "application/json", `{"notquery": "{ __typename }"}`), 400, ""},
		{"GET without a query", req(http.MethodGet, "/query", "", ""), 400, ""},
		{"GET with variables that are not an object", req(http.MethodGet, "/query?query=%7B__typename%7D&variables=%5B1%5D", "", ""), 400, ""},
		{"GET with data after the variables", req(http.MethodGet, "/query?query=%7B__typename%7D&variables=%7B%7D%7B%7D", "", ""), 400, ""},
		{"body over the limit, with Content-Length", req(http.MethodPost, "/query", "application/json", oversized), 413, "Connection: close"},
		{"body over the limit, chunked", chunked, 413, "Connection: close"},
	}
	for _, tc := range cases {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			t.Run(tc.name+"/"+accept, func(t *testing.T) {
				e.sim.ResetRequests()
				r := tc.req()
				r.Header.Set("Accept", accept)
				a := serve(t, e.handler, r)
				if a.status != tc.status || a.header.Get("Content-Type") != accept {
					t.Fatalf("%d %s, want %d %s: %s", a.status, a.header.Get("Content-Type"), tc.status, accept, a.raw)
				}
				if name, value, ok := strings.Cut(tc.header, ": "); ok && a.header.Get(name) != value {
					t.Fatalf("%s: %q, want %q", name, a.header.Get(name), value)
				}
				if _, has := a.body["data"]; has {
					t.Fatalf(`"data" in %s`, a.raw)
				}
				expectCode(t, a.errs(), graph.CodeBadUserInput)
				if n := e.sim.RequestCount(); n != 0 {
					t.Fatalf("%d upstream calls", n)
				}
			})
		}
	}
}

// TestSeveralOperationsWithoutName: a document of several operations sent
// without operationName is refused with a message that says what to do
// (gqlgen's own is "operation  not found"), over POST and GET.
func TestSeveralOperationsWithoutName(t *testing.T) {
	e := newEnv(t)
	const doc = `query A { __typename } query B { __typename }`
	post := newRequest(http.MethodPost, "/query", `{"query": `+jsonString(doc)+`}`)
	post.Header.Set("Content-Type", "application/json")
	for _, req := range []*http.Request{post, newRequest(http.MethodGet, "/query?query="+url.QueryEscape(doc), "")} {
		a := serve(t, e.handler, req)
		errs := a.errs()
		expectCode(t, errs, "GRAPHQL_VALIDATION_FAILED")
		if msg := errs[0].Message; strings.Contains(msg, "  ") || !strings.Contains(msg, "operationName") {
			t.Fatalf("%s: message %q, want one that names operationName", req.Method, msg)
		}
	}
}

func newRequest(method, target, body string) *http.Request {
	return httptest.NewRequest(method, target, strings.NewReader(body))
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
