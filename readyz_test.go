package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/internal/app"
)

// TestReadinessIsThisReplicas: with the upstream down, /readyz stays 200
// and reports the upstream unreachable (so is the gauge); shutting down
// turns it 503.
func TestReadinessIsThisReplicas(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.Close() // nothing listens there now
	cfg := testConfig(t)
	cfg.APIBaseURL = "http://" + ln.Addr().String() + "/client/v4"
	serving, stop := context.WithCancel(context.Background())
	defer stop()
	service, err := app.New(serving, cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	h := service.Handler()
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code, rec.Body.String()
	}
	readyz := func() (int, map[string]string) {
		code, body := get("/readyz")
		var m map[string]string
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("/readyz %d %q", code, body)
		}
		return code, m
	}
	if code, body := readyz(); code != http.StatusOK || body["upstream"] != "unreachable" {
		t.Fatalf("upstream down: /readyz %d %v, want 200 with the upstream unreachable", code, body)
	}
	if _, page := get("/metrics"); !strings.Contains(page, "gqlfacade_upstream_reachable 0") {
		t.Fatal("/metrics lacks gqlfacade_upstream_reachable 0")
	}
	stop()
	if code, body := readyz(); code != http.StatusServiceUnavailable || body["reason"] != "shutting down" {
		t.Fatalf("shutting down: /readyz %d %v, want 503", code, body)
	}
}
