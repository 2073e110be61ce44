package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
	"github.com/aigw/gqlfacade/internal/redistest"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// upstreamServer serves the service, as app.New builds it with tune, on a
// loopback listener, over cfsim on another; both stop when the test ends.
func upstreamServer(t *testing.T, tune func(*app.Config)) (*cfsim.Server, string) {
	t.Helper()
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 100})
	return sim, apptest.Serve(t, apptest.New(t, sim, base, tune, app.Options{}))
}

type gqlAnswer struct {
	Data   map[string]any
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func postQuery(t *testing.T, base, query string, header http.Header) gqlAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(`{"query":`+jsonString(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestConcurrentIdenticalRequestsAreOneUpstreamCall: 50 callers with one
// token asking the same thing at once cost one upstream call. It runs on
// the fake clock of a testing/synctest bubble, which stands still while the
// callers start: all 50 pin the same snapshot and join the first call.
func TestConcurrentIdenticalRequestsAreOneUpstreamCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sim := cfsim.New(cfsim.Options{LogsPerGateway: 100})
		h := apptest.Piped(t, sim, nil, app.Options{}).Handler()
		sim.SetLatency(500 * time.Millisecond) // the first call is still running when the last caller comes
		sim.ResetRequests()
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				a := serveQuery(t, h, "", `{ logs(gatewayId: "prod-chat", first: 5) { nodes { logId } } }`)
				if len(a.Errors) > 0 {
					t.Error(a.Errors)
				}
			})
		}
		wg.Wait()
		if n := sim.RequestCount(); n != 1 {
			t.Fatalf("%d upstream calls for 50 identical requests, want 1", n)
		}
	})
}

// TestBudgetIsNeverOverdrawn: with a budget of N calls, the (N+1)th is never
// made; the query gets RATE_LIMITED with the time until a call is allowed.
func TestBudgetIsNeverOverdrawn(t *testing.T) {
	sim, base := upstreamServer(t, func(c *app.Config) { c.RateLimit, c.RateWindow = 10, time.Hour })
	sim.ResetRequests()
	var limited *gqlAnswer
	for i := range 15 {
		// Distinct queries, so that no answer is coalesced or cached.
		a := postQuery(t, base, fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { nodes { logId } } }`, i+1), nil)
		if len(a.Errors) > 0 {
			limited = &a
			break
		}
	}
	if limited == nil {
		t.Fatal("15 calls on a budget of 10 were all made")
	}
	if code := limited.Errors[0].Extensions["code"]; code != "RATE_LIMITED" {
		t.Fatalf("error %+v, want RATE_LIMITED", limited.Errors[0])
	}
	if ra, _ := limited.Errors[0].Extensions["retryAfter"].(float64); ra < 60 {
		t.Fatalf("retryAfter %v s; a budget of 10 per hour refills in minutes", limited.Errors[0].Extensions["retryAfter"])
	}
	made := sim.RequestCount()
	if made > 10 {
		t.Fatalf("%d upstream calls on a budget of 10", made)
	}
	postQuery(t, base, `{ logs(gatewayId: "staging") { totalCount } }`, nil)
	if sim.RequestCount() != made {
		t.Fatal("an upstream call was made past the budget")
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`ratebudget_refusals_total{reason="budget"}`, "ratebudget_tokens_remaining", "ratebudget_coalesced_total", "ratebudget_cache_hits_total", "ratebudget_waits_total"} {
		if !strings.Contains(string(metrics), want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
}

// TestMetricsReadinessAndCORS: /metrics counts operations and upstream
// calls, /readyz answers, and CORS is off unless origins are configured.
func TestMetricsReadinessAndCORS(t *testing.T) {
	_, base := upstreamServer(t, func(c *app.Config) { c.CORSAllowedOrigins = []string{"https://app.example.com"} })
	postQuery(t, base, `query Recent { logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`, nil)
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`gqlfacade_graphql_operations_total{operation="Recent",outcome="ok"} 1`, `gqlfacade_upstream_requests_total{status="200"}`, `gqlfacade_dataloader_batch_size`} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
	if r, err := http.Get(base + "/readyz"); err != nil || r.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", err, r)
	}
	for origin, allowed := range map[string]bool{"https://app.example.com": true, "https://evil.example": false} {
		req, _ := http.NewRequest(http.MethodOptions, base+"/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type") // as browsers send it: lower case, sorted
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if got := r.Header.Get("Access-Control-Allow-Origin") == origin; got != allowed {
			t.Fatalf("origin %s: allowed=%v, want %v", origin, got, allowed)
		}
	}
}

// TestTwoInstancesShareOneBudgetInRedis: two service instances with the same
// REDIS_URL spend one budget per credential between them; with Redis
// stopped they keep answering from their own in-memory budgets.
func TestTwoInstancesShareOneBudgetInRedis(t *testing.T) {
	rdb := redistest.Start(t)
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 100, Tokens: []string{"second-token"}})
	var bases []string
	for range 2 {
		service := apptest.New(t, sim, base, func(c *app.Config) {
			c.RateLimit, c.RateWindow, c.RedisURL = 10, time.Hour, rdb.URL()
		}, app.Options{})
		bases = append(bases, apptest.Serve(t, service))
	}
	limited := 0
	for i := range 24 { // alternate instances; distinct queries, so nothing is coalesced
		a := postQuery(t, bases[i%2], fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { nodes { logId } } }`, i+1), nil)
		if len(a.Errors) > 0 {
			if a.Errors[0].Extensions["code"] != "RATE_LIMITED" {
				t.Fatalf("error %+v", a.Errors[0])
			}
			limited++
		}
	}
	if made := sim.RequestCount(); made > 10 || limited == 0 {
		t.Fatalf("two instances made %d upstream calls on a shared budget of 10 (%d refused)", made, limited)
	}
	rdb.Stop()
	for i, base := range bases { // a fresh credential: each instance falls back to memory and answers
		a := postQuery(t, base, `{ logs(gatewayId: "staging", first: 1) { totalCount } }`, http.Header{"Authorization": {"Bearer second-token"}})
		if len(a.Errors) > 0 || a.Data["logs"] == nil {
			t.Fatalf("instance %d with Redis down: %+v", i, a.Errors)
		}
	}
}
