package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// TestRefusedAnswersAreCounted: an answer the response guard refuses is
// counted by the key whose filter the upstream did not apply.
func TestRefusedAnswersAreCounted(t *testing.T) {
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 60, IgnoreFilters: true})
	upstream := httptest.NewServer(sim)
	defer upstream.Close()
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = upstream.URL+"/client/v4", sim.AccountID(), cfsim.DemoToken
	service, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	h := service.Handler()
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{ logs(gatewayId: \"prod-chat\", first: 50, filter: {success: {eq: false}}) { nodes { logId } } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), "FILTER_NOT_APPLIED") {
		t.Fatalf("answer %s", rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `gqlfacade_upstream_filter_not_applied_total{key="success"} 1`) {
		t.Fatal("/metrics does not count the refused answer by its key")
	}
}
