package main

import (
	"bufio"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// metricValue reads one unlabelled sample from the server's /metrics.
func metricValue(t *testing.T, base, name string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// TestCacheTTLAnswersRepeatsWithoutUpstreamCalls: with -cache-ttl 5s, the
// same query every 1.5 s (on the service's clock) is one upstream call in
// the first 5 s, the repeats being cache hits; after the TTL a new walk
// takes a new snapshot, and so one new call.
func TestCacheTTLAnswersRepeatsWithoutUpstreamCalls(t *testing.T) {
	// Late in a second: the snapshot pins the start of that second, 0.9 s
	// before the first call, and must still last the TTL from that call.
	clock := testenv.NewClock(time.Now().Truncate(time.Second).Add(900 * time.Millisecond))
	sim, base := upstreamServer(t, func(c *app.Config) { c.CacheTTL, c.Now = 5*time.Second, clock.Now })
	const query = `{ logs(gatewayId: "prod-chat", first: 5) { nodes { logId } } }`
	ask := func() {
		t.Helper()
		if a := postQuery(t, base, query, nil); len(a.Errors) > 0 {
			t.Fatalf("errors: %+v", a.Errors)
		}
	}
	snapshots := func() map[string]bool {
		seen := map[string]bool{}
		for _, r := range sim.Requests() {
			q, _ := url.ParseQuery(r.RawQuery)
			seen[q.Get("filters")] = true
		}
		return seen
	}
	sim.ResetRequests()
	hits0 := metricValue(t, base, "ratebudget_cache_hits_total")

	for i := range 4 { // at 0, 1.5, 3 and 4.5 s
		if i > 0 {
			clock.Advance(1500 * time.Millisecond)
		}
		ask()
	}
	calls, hits := sim.RequestCount(), metricValue(t, base, "ratebudget_cache_hits_total")-hits0
	t.Logf("within the TTL: %d upstream calls, %v cache hits", calls, hits)
	if calls != 1 || hits != 3 {
		t.Fatalf("4 identical queries within 5 s: %d upstream calls and %v cache hits, want 1 and 3", calls, hits)
	}

	clock.Advance(1500 * time.Millisecond) // 6 s: the snapshot is older than the TTL
	ask()
	clock.Advance(1500 * time.Millisecond) // 7.5 s: the new snapshot is reused
	ask()
	calls, hits = sim.RequestCount(), metricValue(t, base, "ratebudget_cache_hits_total")-hits0
	t.Logf("after the TTL: %d upstream calls, %v cache hits", calls, hits)
	if calls != 2 || hits != 4 || len(snapshots()) != 2 {
		t.Fatalf("after the TTL: %d upstream calls with %d snapshots and %v cache hits, want 2, 2 and 4", calls, len(snapshots()), hits)
	}
}

// TestWithoutCacheEveryWalkTakesTheCurrentSecond: with the cache off (as by
// default), new walks are pinned to the current second as before: the same
// query 1.5 s later is a new upstream call.
func TestWithoutCacheEveryWalkTakesTheCurrentSecond(t *testing.T) {
	clock := testenv.NewClock(time.Now())
	sim, base := upstreamServer(t, func(c *app.Config) { c.Now = clock.Now })
	sim.ResetRequests()
	for range 3 {
		postQuery(t, base, `{ logs(gatewayId: "prod-chat", first: 5) { nodes { logId } } }`, nil)
		clock.Advance(1500 * time.Millisecond)
	}
	if n := sim.RequestCount(); n != 3 {
		t.Fatalf("%d upstream calls for 3 queries 1.5 s apart without a cache, want 3", n)
	}
}
