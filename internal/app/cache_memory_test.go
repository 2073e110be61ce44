package app

import (
	"context"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
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
		// memLimit is not a setting, so this test is inside the package,
		// where apptest (which imports it) cannot be used.
		sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 60})
		cfg := Defaults()
		cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = base, sim.AccountID(), cfsim.DemoToken
		cfg.CacheTTL, cfg.memLimit = 5*time.Second, memLimit
		service, err := New(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		defer service.Close()
		for range 2 {
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":`+strconv.Quote(query)+`}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			service.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
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
