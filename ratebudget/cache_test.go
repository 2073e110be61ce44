package ratebudget

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

func TestCacheServesRepeatsPerCredential(t *testing.T) {
	t.Parallel()
	sim, base := newSim(t)
	tr, reg := newTransport(t, Options{CacheTTL: 2 * time.Second})
	c := newClient(t, base, tr, restclient.Options{})

	a1 := mustList(t, c, sim, tokA, 1)
	a2 := mustList(t, c, sim, tokA, 1)
	if n := sim.RequestCount(); n != 1 {
		t.Fatalf("upstream calls = %d, want 1 (the repeat is a hit)", n)
	}
	if a1.Logs[0].ID != a2.Logs[0].ID {
		t.Fatal("the cached answer differs")
	}
	// Another credential never sees tok-a's entry.
	mustList(t, c, sim, tokB, 1)
	if n := len(upstreamCalls(sim, "tok-b")); n != 1 {
		t.Fatalf("tok-b upstream calls = %d, want 1", n)
	}
	mustList(t, c, sim, tokB, 1)
	if n := sim.RequestCount(); n != 2 {
		t.Fatalf("upstream calls = %d, want 2", n)
	}
	if h, m := metric(t, reg, "ratebudget_cache_hits_total"), metric(t, reg, "ratebudget_cache_misses_total"); h != 2 || m != 2 {
		t.Errorf("hits, misses = %v, %v; want 2, 2", h, m)
	}
}

func TestCacheExpiresAndSkipsErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, _ := newPipedTransport(t, Options{CacheTTL: 200 * time.Millisecond})
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		mustList(t, c, sim, tokA, 1)
		time.Sleep(300 * time.Millisecond) // on the bubble's clock
		mustList(t, c, sim, tokA, 1)
		if n := sim.RequestCount(); n != 2 {
			t.Fatalf("upstream calls = %d, want 2 (the entry expired)", n)
		}
		for range 2 { // 404s are not cached
			_, err := c.ListLogs(context.Background(), tokA, sim.AccountID(), "no-such-gateway", restclient.ListLogsParams{})
			if !restclient.IsNotFound(err) {
				t.Fatalf("got %v, want 404", err)
			}
		}
		if n := sim.RequestCount(); n != 4 {
			t.Fatalf("upstream calls = %d, want 4", n)
		}
	})
}

func TestMemCacheByteBound(t *testing.T) {
	t.Parallel()
	now := time.Now()
	c := newMemCache(time.Minute, 10_000, func() time.Time { return now })
	ctx := context.Background()
	for i := range 20 {
		_ = c.put(ctx, fmt.Sprint(i), &snapshot{Status: 200, Header: http.Header{}, Body: make([]byte, 1000)})
	}
	if c.bytes > 10_000 {
		t.Fatalf("cached bytes = %d, over the bound", c.bytes)
	}
	if _, ok, _ := c.get(ctx, "0"); ok {
		t.Error("the oldest entry survived")
	}
	if _, ok, _ := c.get(ctx, "19"); !ok {
		t.Error("the newest entry was evicted")
	}
	_ = c.put(ctx, "huge", &snapshot{Body: make([]byte, 20_000)})
	if _, ok, _ := c.get(ctx, "19"); !ok {
		t.Error("an oversized entry evicted the others")
	}
}
