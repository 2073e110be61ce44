package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
)

// TestBreakerBoundsAStorm: 16 concurrent queries during a 500 or 429 storm.
// Without the breaker every call is retried into the storm; with it, at
// most -breaker-failures + 15 calls reach the upstream (the calls already
// sent when the circuit opens still land), the retries are refused without
// being sent, and every query gets the code the storm's answers map to.
func TestBreakerBoundsAStorm(t *testing.T) {
	const queries = 16
	for _, storm := range []struct {
		name  string
		fault cfsim.Fault
		code  string
		class string // of breaker_refusals_total
	}{
		{"500", cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1000}, "UPSTREAM_ERROR", "server_error"},
		{"429", cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 1, Times: 1000}, "RATE_LIMITED", "rate_limited"},
	} {
		for _, failures := range []int{0, 5} {
			t.Run(fmt.Sprintf("%s storm, -breaker-failures %d", storm.name, failures), func(t *testing.T) {
				// On the bubble's clock: the storm's retries and pauses take
				// no real time.
				synctest.Test(t, func(t *testing.T) {
					sim := cfsim.New(cfsim.Options{LogsPerGateway: 100})
					h := apptest.Piped(t, sim, func(c *app.Config) { c.BreakerFailures = failures }, app.Options{}).Handler()
					// A round trip takes time, as on a network: else one retry's
					// 429 could come back, and pause the credential, before the
					// retries due at the same instant were sent.
					sim.SetLatency(10 * time.Millisecond)
					sim.ResetRequests()
					sim.InjectFault(storm.fault)
					answers := make([]gqlAnswer, queries)
					var wg sync.WaitGroup
					for i := range queries {
						wg.Go(func() { // distinct queries: nothing is coalesced
							answers[i] = serveQuery(t, h, "", fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { nodes { logId } } }`, i+1))
						})
					}
					wg.Wait()
					calls, bound := sim.RequestCount(), 5+queries-1
					t.Logf("%d upstream calls for %d queries", calls, queries)
					if failures == 0 {
						if calls <= bound {
							t.Fatalf("without the breaker the storm cost only %d calls: the test shows nothing", calls)
						}
						return
					}
					if calls > bound {
						t.Fatalf("%d upstream calls, want at most %d", calls, bound)
					}
					refused := 0
					for _, a := range answers {
						if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != storm.code {
							t.Fatalf("answer %+v, want %s", a, storm.code)
						}
						e := a.Errors[0].Extensions
						if ra, _ := e["retryAfter"].(float64); storm.code == "RATE_LIMITED" && (ra < 1 || ra > 30) {
							t.Fatalf("retryAfter %v, want within the 30s cool-down", e["retryAfter"])
						}
						if up, _ := e["upstream"].(map[string]any); up["reason"] == "CIRCUIT_OPEN" {
							refused++
						}
					}
					if refused == 0 {
						t.Fatal("no query was answered by the open circuit")
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
					page := rec.Body.String()
					if got := metricSum(t, page, "gqlfacade_upstream_requests_total{"); got != calls {
						t.Fatalf("gqlfacade_upstream_requests_total = %d, the upstream saw %d: refusals were counted as requests", got, calls)
					}
					if got := metricSum(t, page, `breaker_refusals_total{class="`+storm.class+`"}`); got < refused {
						t.Fatalf("breaker_refusals_total{class=%q} = %d, but %d queries were refused", storm.class, got, refused)
					}
				})
			})
		}
	}
}
