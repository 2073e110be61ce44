package ratebudget

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// A budget of N: the (N+1)th upstream call is never made, and the caller
// learns, through restclient, how long until a token refills.
func TestBudgetRefusesTheCallOverIt(t *testing.T) {
	t.Parallel()
	sim, base := newSim(t)
	// Burst 5, then a token every Window/(Limit−Burst) = 12 minutes.
	tr, reg := newTransport(t, Options{Limit: 10, Burst: 5, Window: time.Hour})
	rt := &countingRT{next: tr}
	c := newClient(t, base, rt, restclient.Options{})

	for page := 1; page <= 5; page++ {
		mustList(t, c, sim, tokA, page)
	}
	start := time.Now()
	_, err := listLogs(context.Background(), c, sim, tokA, 6)
	elapsed := time.Since(start)

	rl := rateLimitError(t, err)
	within(t, "RetryAfter", rl.RetryAfter, 12*time.Minute-5*time.Second, 12*time.Minute+time.Second)
	if len(rl.Errors) != 1 || rl.Errors[0].Code != 971 || !contains(rl.Errors[0].Message, "local rate budget exhausted") {
		t.Errorf("errors = %+v, want code 971 'local rate budget exhausted'", rl.Errors)
	}
	if n := sim.RequestCount(); n != 5 {
		t.Fatalf("upstream calls = %d, want 5", n)
	}
	// No hot loop: the hint exceeds restclient's MaxBackoff, so it gave up
	// after one attempt, at once.
	if n := rt.n.Load(); n != 6 {
		t.Errorf("attempts through the transport = %d, want 6", n)
	}
	if elapsed > time.Second {
		t.Errorf("refusal took %v", elapsed)
	}
	if got := metric(t, reg, "ratebudget_refusals_total", "reason", "budget"); got != 1 {
		t.Errorf("refusals{budget} = %v, want 1", got)
	}
	// Another credential has its own bucket.
	mustList(t, c, sim, tokB, 1)
}

// A refusal whose Retry-After is within restclient's MaxBackoff is retried
// once, after that wait, and then succeeds: never a tight loop of refusals.
func TestRefusalIsRetriedAfterItsHintNotInALoop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// One token now, the next 2s later; never wait inside the transport.
		sim, base, tr, reg := newPipedTransport(t, Options{Limit: 2, Burst: 1, Window: 2 * time.Second, MaxWait: -1})
		rt := &countingRT{next: tr}
		c := newClient(t, base, rt, restclient.Options{MaxBackoff: 5 * time.Second})

		mustList(t, c, sim, tokA, 1)
		start := time.Now()
		mustList(t, c, sim, tokA, 2)
		within(t, "second call", time.Since(start), 1900*time.Millisecond, 4*time.Second)
		if n := rt.n.Load(); n != 3 {
			t.Errorf("attempts through the transport = %d, want 3 (ok, refused, ok)", n)
		}
		if n := sim.RequestCount(); n != 2 {
			t.Errorf("upstream calls = %d, want 2", n)
		}
		if got := metric(t, reg, "ratebudget_refusals_total", "reason", "budget"); got != 1 {
			t.Errorf("refusals{budget} = %v, want 1", got)
		}
	})
}

// With a deadline that allows it, an empty bucket waits and then succeeds.
func TestEmptyBucketWaitsWhenTheDeadlineAllows(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Burst 1, then a token every 500ms.
		sim, base, tr, reg := newPipedTransport(t, Options{Limit: 3, Burst: 1, Window: time.Second})
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		for page := 1; page <= 3; page++ {
			if _, err := listLogs(ctx, c, sim, tokA, page); err != nil {
				t.Fatalf("page %d: %v", page, err)
			}
		}
		within(t, "three calls", time.Since(start), 900*time.Millisecond, 3*time.Second)
		if n := sim.RequestCount(); n != 3 {
			t.Errorf("upstream calls = %d, want 3", n)
		}
		if got := metric(t, reg, "ratebudget_waits_total"); got != 2 {
			t.Errorf("waits_total = %v, want 2", got)
		}
		if got := metric(t, reg, "ratebudget_refusals_total", "reason", "budget"); got != 0 {
			t.Errorf("refusals{budget} = %v, want 0", got)
		}

		// A deadline too short to wait for the next token: refused at once.
		short, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel2()
		_, err := listLogs(short, c, sim, tokA, 4)
		rl := rateLimitError(t, err)
		within(t, "RetryAfter", rl.RetryAfter, time.Second, time.Second) // 500ms, rounded up
	})
}

// Requests without credentials are not budgeted (the upstream refuses them
// with 400 and code 9106).
func TestRequestsWithoutCredentialsPassThrough(t *testing.T) {
	t.Parallel()
	sim, base := newSim(t)
	tr, reg := newTransport(t, Options{Limit: 2, Burst: 1, Window: time.Hour, MaxWait: -1})
	c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})
	for page := 1; page <= 3; page++ {
		_, err := listLogs(context.Background(), c, sim, restclient.Credentials{}, page)
		if !restclient.IsAuth(err) {
			t.Fatalf("page %d: got %v, want the upstream's refusal (9106)", page, err)
		}
	}
	if n := sim.RequestCount(); n != 3 {
		t.Errorf("upstream calls = %d, want 3", n)
	}
	if got := metric(t, reg, "ratebudget_upstream_requests_total"); got != 0 {
		t.Errorf("budgeted requests = %v, want 0", got)
	}
}

func TestRefusalShape(t *testing.T) {
	t.Parallel()
	req, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	resp := refusal(req, reasonBudget, 1500*time.Millisecond)
	defer resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" ||
		resp.Header.Get(RefusedHeader) != "1" || resp.Header.Get(ReasonHeader) != "budget" {
		t.Fatalf("got %d %v", resp.StatusCode, resp.Header)
	}
	if got := refusal(req, reasonPaused, 0).Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After for a zero wait = %q, want 1 (never 0: that would invite an immediate retry)", got)
	}
}

func TestOptionsValidation(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{Limit: 5, Burst: 5}, {Limit: -1}, {CacheTTL: -1}, {Limit: 1, Burst: 2}} {
		if _, err := NewTransport(nil, o); err == nil {
			t.Errorf("NewTransport(%+v) accepted", o)
		}
	}
	tr, err := NewTransport(nil, Options{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if b := tr.bucket.(*memBucket); b.burst != 1 {
		t.Errorf("default burst for Limit 5 = %d, want 1", b.burst)
	}
	_ = tr.Close()
	if _, err := tr.RoundTrip(&http.Request{Header: http.Header{}}); err != ErrClosed {
		t.Errorf("RoundTrip after Close = %v, want ErrClosed", err)
	}
}
