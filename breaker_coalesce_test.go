package main

import (
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

// TestBreakerCountsASharedFailureOnce: identical concurrent queries share
// one upstream call (the rate budget coalesces them), so one 500 is one
// failure, not one per caller: a single blip must not open the circuit for
// everyone, and the queries' retries answer.
func TestBreakerCountsASharedFailureOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sim := cfsim.New(cfsim.Options{LogsPerGateway: 50})
		h := apptest.Piped(t, sim, func(c *app.Config) { c.BreakerFailures = 2 }, app.Options{}).Handler()
		sim.SetLatency(100 * time.Millisecond) // every caller joins the first call
		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError})
		const callers = 10
		answers := make([]gqlAnswer, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				answers[i] = serveQuery(t, h, cfsim.DemoToken, `{ logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`)
			})
		}
		wg.Wait()
		for _, a := range answers {
			if len(a.Errors) > 0 {
				t.Fatalf("answer %+v after one shared 500", a.Errors)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if n := metricSum(t, rec.Body.String(), `breaker_transitions_total{to="open"}`); n != 0 {
			t.Fatalf("the circuit opened %d times after one failed upstream call", n)
		}
	})
}
