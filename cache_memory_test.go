package main

import (
	"math"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/ratebudget"
)

// TestCacheTakesAQuarterOfTheMemoryLimit: under the default memory limit
// the response cache may hold a quarter of it, not ratebudget's 32 MiB,
// which would leave the collector almost no room; without a limit the
// cache keeps its own bound.
func TestCacheTakesAQuarterOfTheMemoryLimit(t *testing.T) {
	if got := cacheMaxBytes(defaultMemoryLimit); got*4 > defaultMemoryLimit || got < defaultMemoryLimit/5 {
		t.Errorf("cache bound under the default %d-byte limit: %d, want a quarter", defaultMemoryLimit, got)
	}
	if got := cacheMaxBytes(math.MaxInt64); got != ratebudget.DefaultCacheMaxBytes {
		t.Errorf("cache bound without a limit: %d, want ratebudget's default %d", got, ratebudget.DefaultCacheMaxBytes)
	}
}

// TestCacheHoldsNoAnswerOverItsShareOfMemory: with -cache-ttl on, an
// answer larger than a quarter of the memory limit is not cached (the same
// query twice is two upstream calls), while a small one is (one call); with
// room enough, the large one is cached too.
func TestCacheHoldsNoAnswerOverItsShareOfMemory(t *testing.T) {
	const (
		small = `{ logs(gatewayId: "prod-chat", first: 1) { nodes { logId } } }`  // one log: well under 8 KiB upstream
		large = `{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId } } }` // 50 logs: well over 8 KiB upstream
	)
	callsForTwo := func(memLimit int64, query string) int {
		t.Helper()
		clock := &fakeClock{t: time.Now()}
		sim, base, stop := upstreamServer(t, func(c *config) {
			c.CacheTTL, c.now, c.memLimit = 5*time.Second, clock.Now, memLimit
		})
		defer func() { _ = stop() }()
		sim.ResetRequests()
		for range 2 {
			if a := postQuery(t, base, query, nil); len(a.Errors) > 0 {
				t.Fatalf("errors: %+v", a.Errors)
			}
		}
		return sim.RequestCount()
	}
	const tight = 32 << 10 // a cache of 8 KiB
	if n := callsForTwo(tight, small); n != 1 {
		t.Errorf("small answer, %d-byte memory limit: %d upstream calls for two queries, want 1 (cached)", tight, n)
	}
	if n := callsForTwo(tight, large); n != 2 {
		t.Errorf("large answer, %d-byte memory limit: %d upstream calls for two queries, want 2 (not cached)", tight, n)
	}
	if n := callsForTwo(defaultMemoryLimit, large); n != 1 {
		t.Errorf("large answer, default memory limit: %d upstream calls for two queries, want 1 (cached)", n)
	}
}
