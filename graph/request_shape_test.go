package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// rawGet sends a GET with the given query string to the GraphQL endpoint.
func (e *env) rawGet(rawQuery string) (int, []gqlError) {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/query?"+rawQuery, nil))
	var out struct{ Errors []gqlError }
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out.Errors
}

// TestAmbiguousRequestsAreRefused: a POST body with data after its object
// or a member given twice, and a GET with a parameter given twice, are 400
// with BAD_USER_INPUT, and nothing runs; the same requests without the
// ambiguity run.
func TestAmbiguousRequestsAreRefused(t *testing.T) {
	e := newEnv(t)
	// Each query would make an upstream call if it ran.
	const q = `"{ logs(gatewayId: \"prod-chat\", first: 1) { nodes { logId } } }"`
	const other = `"{ logs(gatewayId: \"staging\", first: 1) { nodes { logId } } }"`
	const gq = "{ logs(gatewayId: \"prod-chat\", first: 1) { nodes { logId } } }"
	refused := map[string]string{
		"a second object after it":  `{"query":` + q + `} {"query":` + other + `}`,
		"garbage after it":          `{"query":` + q + `}garbage`,
		"a stray brace after it":    `{"query":` + q + `}}`,
		"query twice":               `{"query":` + other + `,"query":` + q + `}`,
		"query twice, another case": `{"Query":` + other + `,"query":` + q + `}`,
		"variables twice":           `{"query":` + q + `,"variables":{},"variables":{"a":1}}`,
		"operationName twice":       `{"query":` + q + `,"operationName":null,"operationName":"A"}`,
		"extensions twice":          `{"query":` + q + `,"extensions":{},"extensions":{}}`,
	}
	for name, body := range refused {
		t.Run("POST "+name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			status, errs := e.rawPost("application/json", body)
			if status != http.StatusBadRequest {
				t.Fatalf("HTTP %d, want 400 (errors %+v)", status, errs)
			}
			expectCode(t, errs, "BAD_USER_INPUT")
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls", n)
			}
		})
	}
	for name, rawQuery := range map[string]string{
		"query twice":     "query=" + url.QueryEscape("{ __typename }") + "&query=" + url.QueryEscape(gq),
		"variables twice": "query=" + url.QueryEscape(gq) + "&variables=%7B%7D&variables=%7B%7D",
	} {
		t.Run("GET "+name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			status, errs := e.rawGet(rawQuery)
			if status != http.StatusBadRequest {
				t.Fatalf("HTTP %d, want 400 (errors %+v)", status, errs)
			}
			expectCode(t, errs, "BAD_USER_INPUT")
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls", n)
			}
		})
	}
	t.Run("unambiguous", func(t *testing.T) {
		e.t = t
		e.sim.ResetRequests()
		for _, body := range []string{
			"{\"query\":" + q + "}\r\n \t",                           // whitespace after the object
			`{"query":` + q + `,"id":"x","id":"y","variables":null}`, // unknown members are ignored
		} {
			if status, errs := e.rawPost("application/json", body); status != http.StatusOK || len(errs) > 0 {
				t.Fatalf("%s: HTTP %d %+v", body, status, errs)
			}
		}
		if status, errs := e.rawGet("query=" + url.QueryEscape(gq) + "&variables=%7B%7D"); status != http.StatusOK || len(errs) > 0 {
			t.Fatalf("GET: HTTP %d %+v", status, errs)
		}
		if n := e.sim.RequestCount(); n != 3 {
			t.Fatalf("%d upstream calls, want 3: each request runs", n)
		}
	})
}
