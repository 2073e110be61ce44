package restclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

var badIDs = []string{
	"", ".", "..", "a..b", "../x", "..%2F", "a/b", "/", "a%2Fb", "%2e%2e", "a?b", "a?page=1",
	"a#b", "a b", " a", "a\tb", "a\nb", "a\rb", "a\x00b", "a\x7f", "é", "a\u202eb",
	strings.Repeat("a", 65),
}

func TestValidateIDs(t *testing.T) {
	for _, id := range []string{"0d37909e38d3e99c29fa2cd343ac421a", "acc_1-2", strings.Repeat("a", 64)} {
		if err := ValidateAccountID(id); err != nil {
			t.Errorf("account %q: %v", id, err)
		}
	}
	for _, id := range []string{"my-gateway", "gw.v2", "a_b", ".hidden", "x.", strings.Repeat("g", 64)} {
		if err := ValidateGatewayID(id); err != nil {
			t.Errorf("gateway %q: %v", id, err)
		}
	}
	if ValidateAccountID("a.b") == nil {
		t.Error("account ids have no dots")
	}
}

// No id can reach the wire: the fake upstream must see zero requests.
func TestPathInjectionRejectedBeforeRequest(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, emptyPage) })
	c, _ := newTestClient(t, srv, Options{}, false)
	ctx := context.Background()
	for _, id := range badIDs {
		_, err := c.ListLogs(ctx, Credentials{}, id, testGateway, ListLogsParams{})
		var ie *InvalidInputError
		if !errors.As(err, &ie) || ie.Field != "accountID" || !IsInvalidInput(err) {
			t.Errorf("account %q: got %v", id, err)
		}
		_, err = c.ListLogs(ctx, Credentials{}, testAccount, id, ListLogsParams{})
		if !errors.As(err, &ie) || ie.Field != "gatewayID" {
			t.Errorf("gateway %q: got %v", id, err)
		}
	}
	// Bad params and credentials are refused before the wire too.
	if _, err := c.ListLogs(ctx, Credentials{}, testAccount, testGateway, ListLogsParams{PerPage: 51}); !IsInvalidInput(err) {
		t.Errorf("per_page 51: %v", err)
	}
	if _, err := c.ListLogs(ctx, Credentials{Email: "a@b.c"}, testAccount, testGateway, ListLogsParams{}); !IsInvalidInput(err) {
		t.Errorf("email without key: %v", err)
	}
	if err := c.do(ctx, Credentials{}, "GET", "/x?y=1", nil, nil, nil); !IsInvalidInput(err) {
		t.Errorf("do with a query in path: %v", err)
	}
	if seen.count() != 0 {
		t.Errorf("the upstream saw %d requests", seen.count())
	}
}

func TestRequestPathAndQuery(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, emptyPage) })
	c, _ := newTestClient(t, srv, Options{}, false)
	p := ListLogsParams{Page: 2, PerPage: 50, Search: "a b", MetaInfo: true,
		Filters: []Filter{{KeyMetadataKey, OpEq, []any{"team"}}, {KeyCost, OpGt, []any{0.5}}}}
	if _, err := c.ListLogs(context.Background(), Credentials{}, testAccount, "gw.v2", p); err != nil {
		t.Fatal(err)
	}
	r := seen.last(t)
	if r.Method != "GET" || r.URL.EscapedPath() != "/client/v4/accounts/"+testAccount+"/ai-gateway/gateways/gw.v2/logs" {
		t.Errorf("request = %s %s", r.Method, r.URL.EscapedPath())
	}
	want, _ := p.Encode()
	if r.URL.RawQuery != want {
		t.Errorf("query\n got %s\nwant %s", r.URL.RawQuery, want)
	}
	assertNoDottedForm(t, r.URL.RawQuery)
	if got := r.URL.Query().Get("filters"); got != `[{"key":"metadata.key","operator":"eq","value":["team"]},{"key":"cost","operator":"gt","value":[0.5]}]` {
		t.Errorf("server decoded filters = %s", got)
	}
	if r.Header.Get("Accept") != "application/json" || r.Header.Get("User-Agent") == "" {
		t.Errorf("headers = %v", r.Header)
	}
}
