package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
)

func serveQuery(t *testing.T, h http.Handler, token, query string) gqlAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":`+jsonString(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	if token != "" { // else the server's token
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var a gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	return a
}

// TestBreakerCoolsDownThenProbes: a credential whose calls keep failing is
// refused without upstream calls for the cool-down, with the code of the
// failure and the cool-down left; then one probe goes through, and a healthy
// upstream closes the circuit. Other credentials never notice.
func TestBreakerCoolsDownThenProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const failures, cooldown = 3, time.Minute
		sim := cfsim.New(cfsim.Options{LogsPerGateway: 50, Tokens: []string{"tok-a", "tok-b", "tok-c", "tok-d"}})
		h := apptest.Piped(t, sim, func(c *app.Config) {
			c.APIToken, c.BreakerFailures, c.BreakerCooldown = "", failures, cooldown
		}, app.Options{}).Handler()
		const query = `{ logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`
		calls := func(f func()) int {
			before := sim.RequestCount()
			f()
			return sim.RequestCount() - before
		}
		expect := func(a gqlAnswer, code string, status, retryAfter any) {
			t.Helper()
			if len(a.Errors) != 1 {
				t.Fatalf("errors %+v, want one %s", a.Errors, code)
			}
			e := a.Errors[0]
			up, _ := e.Extensions["upstream"].(map[string]any)
			if e.Extensions["code"] != code || up["reason"] != "CIRCUIT_OPEN" || up["status"] != status || e.Extensions["retryAfter"] != retryAfter {
				t.Fatalf("error %+v, want %s CIRCUIT_OPEN, upstream status %v, retryAfter %v", e, code, status, retryAfter)
			}
		}
		healthy := func(a gqlAnswer) {
			t.Helper()
			if len(a.Errors) > 0 || a.Data["logs"] == nil {
				t.Fatalf("answer %+v, want data", a)
			}
		}

		// A 500 storm: the retries of one query open the circuit after
		// `failures` attempts; the next attempt is refused, not sent.
		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1000})
		var a gqlAnswer
		if n := calls(func() { a = serveQuery(t, h, "tok-a", query) }); n != failures {
			t.Fatalf("%d upstream calls before the circuit opened, want %d", n, failures)
		}
		expect(a, "UPSTREAM_ERROR", float64(500), nil)
		sim.ClearFaults() // the upstream is healthy again, but the circuit does not know yet

		time.Sleep(cooldown / 2)
		if n := calls(func() { a = serveQuery(t, h, "tok-a", query) }); n != 0 {
			t.Fatalf("%d upstream calls through an open circuit", n)
		}
		expect(a, "UPSTREAM_ERROR", float64(500), nil)
		if n := calls(func() { healthy(serveQuery(t, h, "tok-b", query)) }); n == 0 {
			t.Fatal("another credential made no upstream call")
		}

		// A 429 storm on another gateway, which a third credential reads:
		// RATE_LIMITED with the cool-down left as retryAfter.
		const stormy = `{ logs(gatewayId: "staging", first: 2) { nodes { logId } } }`
		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 1, Times: 1000, Gateway: "staging"})
		serveQuery(t, h, "tok-c", stormy)
		time.Sleep(20 * time.Second)
		if n := calls(func() { a = serveQuery(t, h, "tok-c", stormy) }); n != 0 {
			t.Fatalf("%d upstream calls through an open circuit", n)
		}
		// Left: the cool-down, less the 20s slept and the 1s restclient
		// waited (as the 429 asked) before its refused attempt.
		expect(a, "RATE_LIMITED", float64(429), (cooldown - 21*time.Second).Seconds())

		// tok-a's cool-down ends: one probe, the upstream answers, closed.
		time.Sleep(cooldown / 2)
		if n := calls(func() { healthy(serveQuery(t, h, "tok-a", query)) }); n == 0 {
			t.Fatal("no probe after the cool-down")
		}
		if n := calls(func() { healthy(serveQuery(t, h, "tok-a", query)) }); n == 0 {
			t.Fatal("the circuit did not close after a good probe")
		}

		// tok-c's probe meets the storm still raging: open for a new cool-down.
		time.Sleep(20 * time.Second)
		if n := calls(func() { a = serveQuery(t, h, "tok-c", stormy) }); n != 1 {
			t.Fatalf("%d upstream calls for a probe, want 1", n)
		}
		expect(a, "RATE_LIMITED", float64(429), (cooldown - time.Second).Seconds())
		sim.ClearFaults()

		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		m := rec.Body.String()
		for _, want := range []string{
			`breaker_refusals_total{class="server_error"} 2`, // tok-a: the 4th attempt, then the query in the cool-down
			`breaker_refusals_total{class="rate_limited"} 3`,
			`breaker_transitions_total{to="closed"} 1`,
			`breaker_transitions_total{to="open"} 3`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if got, want := metricSum(t, m, "gqlfacade_upstream_requests_total{"), sim.RequestCount(); got != want {
			t.Errorf("gqlfacade_upstream_requests_total = %d, the upstream saw %d: refusals were counted as requests", got, want)
		}

		// Connections dropped without an answer (last: Go's transport
		// retries some of those by itself, which the upstream counts): the
		// upstream could not be reached, and the refusal says so.
		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultDropConnection, Times: 1000, Gateway: "batch-jobs"})
		a = serveQuery(t, h, "tok-d", `{ logs(gatewayId: "batch-jobs", first: 2) { nodes { logId } } }`)
		expect(a, "UPSTREAM_ERROR", nil, nil)
		if !strings.Contains(a.Errors[0].Message, "could not be reached") {
			t.Fatalf("message %q", a.Errors[0].Message)
		}

		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if n := metricSum(t, rec.Body.String(), `breaker_refusals_total{class="unreachable"}`); n != 1 {
			t.Errorf("breaker_refusals_total{class=\"unreachable\"} = %d, want 1", n)
		}
	})
}

// metricSum sums the series of a /metrics page whose line starts with
// series (a name with an opening brace, or a name with its labels).
func metricSum(t *testing.T, page, series string) int {
	t.Helper()
	total := 0
	for _, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, series) {
			continue
		}
		var n int
		if _, err := fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &n); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		total += n
	}
	return total
}
