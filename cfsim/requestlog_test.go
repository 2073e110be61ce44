package cfsim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
)

func TestRequestLog(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10, AuthKeys: map[string]string{"a@example.com": "k"}})
	fl := []Filter{{"provider", "eq", []any{"openai", "anthropic"}}, {"cost", "gt", []any{0.5}}}
	q := filtersQ(fl...)
	q.Set("per_page", "5")
	f.get(f.logsURL("staging") + "?" + q.Encode())
	f.get(f.logsURL("batch-jobs")+"?filters.key=provider&filters.value=openai", "X-Auth-Email", "a@example.com", "X-Auth-Key", "k")
	id := f.s.Logs("staging")[0].ID
	f.get(f.logsURL("staging") + "/" + id)
	f.get(f.ts.URL + "/elsewhere")
	f.get(f.logsURL("staging") + "?per_page=0&" + filtersQ(fl[0]).Encode())

	reqs := f.s.Requests()
	if len(reqs) != 5 || f.s.RequestCount() != 5 {
		t.Fatalf("%d requests recorded (count %d), want 5", len(reqs), f.s.RequestCount())
	}
	r := reqs[0]
	wantPath := "/client/v4/accounts/" + DefaultAccountID + "/ai-gateway/gateways/staging/logs"
	if r.Method != "GET" || r.Path != wantPath || r.AccountID != DefaultAccountID || r.GatewayID != "staging" ||
		r.LogID != "" || r.Authorization != "Bearer "+DemoToken || r.Status != 200 || !r.At.Equal(testNow) {
		t.Errorf("first request: %+v", r)
	}
	if r.RawQuery != q.Encode() || r.Query.Get("per_page") != "5" {
		t.Errorf("query not recorded: %q", r.RawQuery)
	}
	if !reflect.DeepEqual(r.Filters, fl) {
		t.Errorf("Filters %#v, want %#v", r.Filters, fl)
	}
	if r := reqs[1]; r.Filters != nil || r.AuthEmail != "a@example.com" || r.AuthKey != "k" || r.Authorization != "" ||
		r.GatewayID != "batch-jobs" || r.Query.Get("filters.key") != "provider" {
		t.Errorf("second request: %+v", r)
	}
	if r := reqs[2]; r.LogID != id || r.Status != 200 {
		t.Errorf("detail request: %+v", r)
	}
	if r := reqs[3]; r.Status != http.StatusNotFound || r.GatewayID != "" {
		t.Errorf("unrouted request: %+v", r)
	}
	// A rejected query still records the filters that parsed.
	if r := reqs[4]; r.Status != http.StatusBadRequest || !reflect.DeepEqual(r.Filters, fl[:1]) {
		t.Errorf("400 request: %+v", r)
	}

	f.s.ResetRequests()
	if f.s.RequestCount() != 0 || len(f.s.Requests()) != 0 {
		t.Fatal("ResetRequests kept requests")
	}
	f.get(f.logsURL("staging") + "?" + url.Values{"search": {"x"}}.Encode())
	if reqs := f.s.Requests(); len(reqs) != 1 || reqs[0].Query.Get("search") != "x" {
		t.Fatalf("after reset: %+v", reqs)
	}
}

// TestRequestLogIsBounded: a long-running simulator keeps the most recent
// requests only, while RequestCount still counts them all.
func TestRequestLogIsBounded(t *testing.T) {
	s := New(Options{LogsPerGateway: 10, MaxRecordedRequests: 5})
	srv := httptest.NewServer(s)
	defer srv.Close()
	for i := range 23 {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/client/v4/accounts/%s/ai-gateway/gateways/prod-chat/logs?page=%d", srv.URL, s.AccountID(), i+1), nil)
		req.Header.Set("Authorization", "Bearer "+DemoToken)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := s.RequestCount(); n != 23 {
		t.Fatalf("RequestCount %d, want 23", n)
	}
	reqs := s.Requests()
	if len(reqs) < 5 || len(reqs) >= 10 {
		t.Fatalf("%d requests kept, want between 5 and 9", len(reqs))
	}
	if last := reqs[len(reqs)-1]; last.Query.Get("page") != "23" {
		t.Fatalf("the newest request kept is page %s", last.Query.Get("page"))
	}
}
