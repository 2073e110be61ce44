package cfsim

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestValidation400(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 50})
	cases := map[string]string{
		"per_page 0":                  "per_page=0",
		"per_page 51":                 "per_page=51",
		"per_page word":               "per_page=abc",
		"per_page fraction":           "per_page=1.5",
		"per_page negative":           "per_page=-1",
		"per_page empty":              "per_page=",
		"page 0":                      "page=0",
		"page negative":               "page=-3",
		"page word":                   "page=two",
		"page overflow":               "page=99999999999999999999999",
		"order_by unknown":            "order_by=cost",
		"order_by empty":              "order_by=",
		"direction unknown":           "order_by_direction=up",
		"direction upper case":        "order_by_direction=DESC",
		"meta_info yes":               "meta_info=yes",
		"meta_info 1":                 "meta_info=1",
		"filters not JSON":            "filters=" + url.QueryEscape("provider=openai"),
		"filters empty":               "filters=",
		"filters null":                "filters=null",
		"filters object":              "filters=" + url.QueryEscape(`{"key":"provider","operator":"eq","value":["openai"]}`),
		"filters trailing garbage":    "filters=" + url.QueryEscape(`[]x`),
		"filter item not object":      "filters=" + url.QueryEscape(`["provider"]`),
		"value not array":             fq(`{"key":"provider","operator":"eq","value":"openai"}`),
		"value null":                  fq(`{"key":"provider","operator":"eq","value":null}`),
		"value missing":               fq(`{"key":"provider","operator":"eq"}`),
		"value empty":                 fq(`{"key":"provider","operator":"eq","value":[]}`),
		"value nested array":          fq(`{"key":"provider","operator":"eq","value":[["openai"]]}`),
		"value object":                fq(`{"key":"provider","operator":"eq","value":[{"a":1}]}`),
		"key missing":                 fq(`{"operator":"eq","value":["openai"]}`),
		"key not string":              fq(`{"key":3,"operator":"eq","value":["openai"]}`),
		"key unknown":                 fq(`{"key":"status_code","operator":"eq","value":[200]}`),
		"key wrong case":              fq(`{"key":"compatibilitymode","operator":"eq","value":[true]}`),
		"operator missing":            fq(`{"key":"provider","value":["openai"]}`),
		"operator unknown":            fq(`{"key":"provider","operator":"like","value":["openai"]}`),
		"lt two values":               fq(`{"key":"cost","operator":"lt","value":[1,2]}`),
		"gt no values":                fq(`{"key":"duration","operator":"gt","value":[]}`),
		"lt null":                     fq(`{"key":"cost","operator":"lt","value":[null]}`),
		"contains null":               fq(`{"key":"model","operator":"contains","value":[null]}`),
		"cost not numeric":            fq(`{"key":"cost","operator":"gt","value":["cheap"]}`),
		"tokens boolean":              fq(`{"key":"tokens","operator":"eq","value":[true]}`),
		"success word":                fq(`{"key":"success","operator":"eq","value":["yes"]}`),
		"cached number":               fq(`{"key":"cached","operator":"eq","value":[1]}`),
		"created_at not a time":       fq(`{"key":"created_at","operator":"gt","value":["yesterday"]}`),
		"created_at number":           fq(`{"key":"created_at","operator":"gt","value":[1764150000000]}`),
		"provider number":             fq(`{"key":"provider","operator":"eq","value":[5]}`),
		"contains on number key":      fq(`{"key":"cost","operator":"contains","value":[1]}`),
		"contains on bool key":        fq(`{"key":"success","operator":"contains","value":[true]}`),
		"contains on created_at":      fq(`{"key":"created_at","operator":"contains","value":["2026"]}`),
		"lt on bool key":              fq(`{"key":"wholesale","operator":"lt","value":[true]}`),
		"second filter bad":           fq(`{"key":"provider","operator":"eq","value":["openai"]}`, `{"key":"nope","operator":"eq","value":[1]}`),
		"repeated filters, one bad":   fq(`{"key":"provider","operator":"eq","value":["openai"]}`) + "&filters=oops",
		"bad filter and bad per_page": "per_page=0&" + fq(`{"key":"nope","operator":"eq","value":[1]}`),
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			r := f.get(f.logsURL("staging") + "?" + q)
			wantError(t, r, http.StatusBadRequest, 0)
			if name == "bad filter and bad per_page" {
				if e := decodeError(t, r); len(e.Errors) != 2 {
					t.Errorf("want one error per problem, got %v", e.Errors)
				}
			}
		})
	}
}

// Things that look odd but are valid must not be rejected.
func TestValidationAccepts(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 50})
	for _, q := range []string{
		"", "page=1&per_page=1", "per_page=50", "page=1000", "order_by=model_type&order_by_direction=asc",
		"meta_info=false", "meta_info=true", "filters=" + url.QueryEscape("[]"), "search=",
		fq(`{"key":"cost","operator":"gt","value":["0.5"]}`),                                  // numeric string
		fq(`{"key":"success","operator":"eq","value":["true"]}`),                              // boolean string
		fq(`{"key":"created_at","operator":"gt","value":["2026-11-20T00:00:00+02:00"]}`),      // any RFC 3339
		fq(`{"key":"metadata.value","operator":"eq","value":[2, true]}`),                      // stringified
		fq(`{"key":"model_type","operator":"eq","value":[null]}`),                             // null field
		fq(`{"key":"provider","operator":"eq","value":["openai"],"extra":"ignored"}`),         // unknown member
		"provider=openai&min_cost=1&start_date=2020-01-01&direction=sideways&unknown=1",       // deprecated/unknown: ignored
		"filters.key=provider&filters.operator=eq&filters.value=openai&filters[0][key]=model", // SDK forms: ignored
	} {
		if r := f.get(f.logsURL("staging") + "?" + q); r.status != http.StatusOK {
			t.Errorf("?%s: status %d: %s", q, r.status, r.body)
		}
	}
}

func fq(items ...string) string {
	return "filters=" + url.QueryEscape("["+strings.Join(items, ",")+"]")
}

func TestAuth(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10, Tokens: []string{"tok-a"},
		AuthKeys: map[string]string{"a@example.com": "key-a"}})
	u := f.logsURL("staging")
	ok := [][]string{
		{"Authorization", "Bearer " + DemoToken},
		{"Authorization", "Bearer tok-a"},
		{"Authorization", "bearer tok-a"},
		{"X-Auth-Email", "a@example.com", "X-Auth-Key", "key-a"},
	}
	for _, h := range ok {
		if r := f.get(u, h...); r.status != http.StatusOK {
			t.Errorf("%v: status %d: %s", h, r.status, r.body)
		}
	}
	cases := []struct {
		hdr          []string
		status, code int
	}{
		{[]string{"X-None", "x"}, 400, codeMissingAuth},
		{[]string{"X-Auth-Email", "a@example.com"}, 400, codeMissingAuth},
		{[]string{"X-Auth-Key", "key-a"}, 400, codeMissingAuth},
		{[]string{"Authorization", "Bearer wrong"}, 401, codeAuthError},
		{[]string{"Authorization", "Bearer"}, 401, codeAuthError},
		{[]string{"Authorization", "Basic dG9rLWE="}, 401, codeAuthError},
		{[]string{"Authorization", "tok-a"}, 401, codeAuthError},
		{[]string{"X-Auth-Email", "a@example.com", "X-Auth-Key", "wrong"}, 401, codeAuthError},
		{[]string{"X-Auth-Email", "b@example.com", "X-Auth-Key", "key-a"}, 401, codeAuthError},
		// A bad token is not rescued by a good key pair: Authorization wins.
		{[]string{"Authorization", "Bearer wrong", "X-Auth-Email", "a@example.com", "X-Auth-Key", "key-a"}, 401, codeAuthError},
	}
	for _, c := range cases {
		wantError(t, f.get(u, c.hdr...), c.status, c.code)
		// Credentials are checked before the query.
		wantError(t, f.get(u+"?per_page=0", c.hdr...), c.status, c.code)
	}
	// An account it cannot route to.
	other := strings.Replace(u, DefaultAccountID, "ffffffffffffffffffffffffffffffff", 1)
	wantError(t, f.get(other), http.StatusNotFound, codeCouldNotRoute)
}

func TestCustomAccount(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10, AccountID: "abc", Gateways: []string{"g1"}})
	if r := f.get(f.ts.URL + "/accounts/abc/ai-gateway/gateways/g1/logs"); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	wantError(t, f.get(f.ts.URL+"/accounts/"+DefaultAccountID+"/ai-gateway/gateways/g1/logs"), http.StatusNotFound, codeCouldNotRoute)
}

func TestRouting(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	acct := "/accounts/" + DefaultAccountID
	for _, p := range []string{"/client/v4" + acct + "/ai-gateway/gateways/staging/logs", acct + "/ai-gateway/gateways/staging/logs"} {
		if r := f.get(f.ts.URL + p); r.status != http.StatusOK {
			t.Errorf("%s: status %d", p, r.status)
		}
	}
	wantError(t, f.get(f.logsURL("nope")), http.StatusNotFound, codeNotFound)
	wantError(t, f.get(f.logsURL(strings.Repeat("g", 65))), http.StatusNotFound, codeNotFound)
	for _, p := range []string{"/", "/client/v4", "/foo", "/accounts", acct, acct + "/ai-gateway", acct + "/ai-gateway/gateways/",
		acct + "/ai-gateway/gateways/staging/", acct + "/ai-gateway/gateways/staging/other",
		acct + "/ai-gateway/gateways/staging/logs/", acct + "/ai-gateway/gateways//logs",
		acct + "/ai-gateway/gateways/staging/logs/x/", acct + "/ai-gateway/gateways/staging/logs/x/body",
		acct + "/ai-gateway/gateways/staging/logs/x/request/", acct + "/ai-gateway/gateways/staging/logs/x/request/y",
		"/accounts//ai-gateway/gateways", "/client/v4x" + acct + "/ai-gateway/gateways/staging/logs"} {
		wantError(t, f.get(f.ts.URL+p), http.StatusNotFound, codeNoRoute)
	}
	for _, m := range []string{http.MethodPost, http.MethodPatch, http.MethodPut} { // DELETE deletes logs
		r, err := f.do(t.Context(), m, f.logsURL("staging"))
		if err != nil {
			t.Fatal(err)
		}
		wantError(t, r, http.StatusMethodNotAllowed, codeMethod)
		if r.header.Get("Allow") != "GET, DELETE" {
			t.Errorf("%s: Allow %q", m, r.header.Get("Allow"))
		}
	}
}
