package ratebudget

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/redistest"
	"github.com/aigw/gqlfacade/restclient"
)

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// TestWaitForHeadroom: background work waits while the bucket is below
// half full, and while the credential is paused after a 429, and goes at
// once when there is room; it spends nothing itself.
func TestWaitForHeadroom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Burst 2 (24/12), refilling (24−2)/60 s: a token every 60/22 s.
		sim, base, tr, _ := newPipedTransport(t, Options{Limit: 24, Window: time.Minute})
		c := newClient(t, base, tr, restclient.Options{MaxBackoff: time.Second})
		start := time.Now()
		if err := tr.WaitForHeadroom(t.Context(), bearer("tok-a")); err != nil || time.Since(start) != 0 {
			t.Fatalf("a full bucket: waited %v (%v), want no wait", time.Since(start), err)
		}
		mustList(t, c, sim, tokA, 1) // one of two tokens left: below half + 1
		start = time.Now()
		if err := tr.WaitForHeadroom(t.Context(), bearer("tok-a")); err != nil {
			t.Fatal(err)
		}
		within(t, "wait for a token to refill", time.Since(start), 60*time.Second/22, 60*time.Second/22+2*time.Millisecond)
		start = time.Now()
		if err := tr.WaitForHeadroom(t.Context(), bearer("tok-b")); err != nil || time.Since(start) != 0 {
			t.Fatalf("another credential waited %v (%v), want no wait", time.Since(start), err)
		}

		sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 30})
		if _, err := listLogs(t.Context(), c, sim, tokA, 2); !restclient.IsRateLimited(err) {
			t.Fatalf("the 429: %v", err)
		}
		start = time.Now()
		if err := tr.WaitForHeadroom(t.Context(), bearer("tok-a")); err != nil {
			t.Fatal(err)
		}
		within(t, "wait out the 429's pause", time.Since(start), 30*time.Second, 31*time.Second)
		if n := sim.RequestCount(); n != 2 {
			t.Fatalf("%d upstream calls, want the 2 the test made", n)
		}
	})
}

// TestWaitForHeadroomRedis: with Redis, the level is the shared bucket's:
// what one replica spent makes the other's background work wait.
func TestWaitForHeadroomRedis(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	sim, base := newSim(t)
	opts := Options{Limit: 10, Burst: 5, Window: time.Hour, KeyPrefix: "headroom:"}
	var replicas []*Transport
	for range 2 {
		o := opts
		o.Redis = newRedisClient(t, r)
		tr, _ := newTransport(t, o)
		replicas = append(replicas, tr)
	}
	c := newClient(t, base, replicas[0], restclient.Options{})
	for page := 1; page <= 3; page++ { // 2 of 5 left: below 5/2 + 1
		mustList(t, c, sim, tokA, page)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := replicas[1].WaitForHeadroom(ctx, bearer("tok-a")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the other replica: %v, want it to wait (a token comes back in 12 minutes)", err)
	}
	if err := replicas[1].WaitForHeadroom(context.Background(), bearer("tok-b")); err != nil {
		t.Fatalf("another credential: %v", err)
	}
}
