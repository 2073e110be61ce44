package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// budgetService is the service over sim with the rate budget on.
func budgetService(t *testing.T, sim *cfsim.Server, tune func(*app.Config)) http.Handler {
	t.Helper()
	upstream := httptest.NewServer(sim)
	t.Cleanup(upstream.Close)
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.AccountID = upstream.URL+"/client/v4", sim.AccountID()
	tune(&cfg)
	service, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = service.Close() })
	return service.Handler()
}

type answer struct {
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

// page asks for one distinct page (so that no call is a repeat) with token.
func page(t *testing.T, h http.Handler, token string, n int) answer {
	t.Helper()
	q := fmt.Sprintf(`{"query":"{ logs(gatewayId: \"prod-chat\", first: 1, after: null, search: \"%d\") { totalCount } }"}`, n)
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(q))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var a answer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	return a
}

// TestRatelimitHeaderPacesCalls: once the upstream's Ratelimit header says
// no call is left, the next query is refused without calling it
// (RATE_LIMITED, retryAfter until the upstream's window resets), though
// the service's own budget has room: no 429, no lockout.
func TestRatelimitHeaderPacesCalls(t *testing.T) {
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 20, Tokens: []string{"tok-a"}, RateLimit: 4, RateWindow: time.Hour})
	h := budgetService(t, sim, func(*app.Config) {})
	for n := range 4 {
		if a := page(t, h, "tok-a", n); len(a.Errors) > 0 {
			t.Fatalf("call %d: %+v", n+1, a.Errors)
		}
	}
	a := page(t, h, "tok-a", 99)
	if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("after the upstream said none are left: %+v, want RATE_LIMITED", a.Errors)
	}
	if ra, _ := a.Errors[0].Extensions["retryAfter"].(float64); ra < 3000 {
		t.Fatalf("retryAfter %v, want about the hour the upstream's window has left", ra)
	}
	if n := sim.RequestCount(); n != 4 {
		t.Fatalf("%d upstream calls, want the 4 the upstream allows", n)
	}
}

// TestServiceScopedBudget: with -rate-budget-scope service, two callers'
// credentials spend one budget; with the default, each its own. A limit of
// 24 an hour holds a burst of 2 (a twelfth), the next token 2.7 minutes
// away: beyond any request's deadline.
func TestServiceScopedBudget(t *testing.T) {
	for _, tc := range []struct {
		scope string
		calls int
	}{{"credential", 4}, {"service", 2}} {
		t.Run(tc.scope, func(t *testing.T) {
			sim := cfsim.New(cfsim.Options{LogsPerGateway: 20, Tokens: []string{"tok-a", "tok-b"}})
			h := budgetService(t, sim, func(c *app.Config) { c.RateLimit, c.RateWindow, c.RateScope = 24, time.Hour, tc.scope })
			for n := range 3 {
				page(t, h, "tok-a", n)
				page(t, h, "tok-b", n)
			}
			if n := sim.RequestCount(); n != tc.calls {
				t.Fatalf("%d upstream calls, want %d", n, tc.calls)
			}
		})
	}
}
