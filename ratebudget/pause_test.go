package ratebudget

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// After an upstream 429 with Retry-After: 2, that credential makes no
// upstream call until the 2s have passed; another credential is unaffected.
func TestUpstream429PausesOnlyThatCredential(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, reg := newPipedTransport(t, Options{})
		// No retries, to watch each answer.
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 2, Times: 1})
		_, err := listLogs(context.Background(), c, sim, tokA, 1)
		if rl := rateLimitError(t, err); rl.RetryAfter != 2*time.Second {
			t.Fatalf("upstream RetryAfter = %v, want 2s", rl.RetryAfter)
		}
		first := upstreamCalls(sim, "tok-a")[0]

		// Paused: refused locally (the deadline does not allow waiting it out).
		short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err = listLogs(short, c, sim, tokA, 1)
		within(t, "RetryAfter while paused", rateLimitError(t, err).RetryAfter, time.Second, 2*time.Second)
		// Other URLs, other callers of the same credential: paused too.
		short2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel2()
		_, err = listLogs(short2, c, sim, tokA, 7)
		rateLimitError(t, err)

		// Another credential goes through.
		mustList(t, c, sim, tokB, 1)

		if n := len(upstreamCalls(sim, "tok-a")); n != 1 {
			t.Fatalf("tok-a upstream calls during the pause = %d, want 1", n)
		}
		if n := len(upstreamCalls(sim, "tok-b")); n != 1 {
			t.Fatalf("tok-b upstream calls = %d, want 1", n)
		}
		if got := metric(t, reg, "ratebudget_refusals_total", "reason", "paused"); got != 2 {
			t.Errorf("refusals{paused} = %v, want 2", got)
		}

		// A caller whose deadline allows it waits the pause out, then succeeds.
		long, cancel3 := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel3()
		if _, err := listLogs(long, c, sim, tokA, 1); err != nil {
			t.Fatal(err)
		}
		calls := upstreamCalls(sim, "tok-a")
		if len(calls) != 2 {
			t.Fatalf("tok-a upstream calls = %d, want 2", len(calls))
		}
		if gap := calls[1].At.Sub(first.At); gap < 1900*time.Millisecond {
			t.Errorf("next tok-a upstream call came %v after the 429, want ≥ 2s", gap)
		}
		if got := metric(t, reg, "ratebudget_upstream_rate_limited_total"); got != 1 {
			t.Errorf("upstream_rate_limited_total = %v, want 1", got)
		}
	})
}

// With restclient's default retries, a 429 with a short Retry-After is
// retried once the pause is over: one extra upstream call, not a burst.
func TestUpstream429WithClientRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, reg := newPipedTransport(t, Options{})
		c := newClient(t, base, tr, restclient.Options{})

		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 1, Times: 1})
		start := time.Now()
		mustList(t, c, sim, tokA, 1)
		within(t, "call", time.Since(start), 900*time.Millisecond, 3*time.Second)
		if n := sim.RequestCount(); n != 2 {
			t.Errorf("upstream calls = %d, want 2", n)
		}
		if got := metric(t, reg, "ratebudget_refusals_total", "reason", "paused"); got != 0 {
			t.Errorf("refusals{paused} = %v, want 0", got)
		}
	})
}

func TestUpstreamPauseHint(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{http.Header{"Retry-After-Ms": {"1500"}, "Retry-After": {"9"}}, 1500 * time.Millisecond},
		{http.Header{"Retry-After": {now.Add(time.Minute).Format(http.TimeFormat)}}, time.Minute},
		{http.Header{}, noHintPause},
		{http.Header{"Retry-After": {"0"}}, noHintPause},
		{http.Header{"Retry-After": {"999999"}}, maxPause},
	} {
		if got := upstreamPause(c.h, now); got != c.want {
			t.Errorf("upstreamPause(%v) = %v, want %v", c.h, got, c.want)
		}
	}
}
