package observe_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/observe"
)

func get(t *testing.T, h http.Handler) (int, map[string]string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	return rec.Code, body
}

func TestHealthz(t *testing.T) {
	if code, body := get(t, observe.Healthz()); code != http.StatusOK || body["status"] != "ok" {
		t.Errorf("healthz = %d %v, want 200 ok", code, body)
	}
}

func TestReadyz(t *testing.T) {
	if code, body := get(t, observe.Readyz(func(context.Context) error { return nil }, nil)); code != http.StatusOK || body["status"] != "ok" {
		t.Errorf("passing check: %d %v, want 200 ok", code, body)
	}
	code, body := get(t, observe.Readyz(func(context.Context) error { return errors.New("upstream unreachable: refused") }, nil))
	if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || body["reason"] != "upstream unreachable: refused" {
		t.Errorf("failing check: %d %v, want 503 with the reason", code, body)
	}
}

// TestReadyzReportsTheUpstreamWithoutFailingOnIt: readiness is this
// replica's (503 only when shutting down); the upstream's state is a field.
func TestReadyzReportsTheUpstreamWithoutFailingOnIt(t *testing.T) {
	up := httptest.NewServer(http.NotFoundHandler())
	defer up.Close()
	serving, stop := context.WithCancel(context.Background())
	ready := observe.Readyz(observe.NotShuttingDown(serving), observe.UpstreamReachable(up.URL+"/client/v4"))
	down := observe.Readyz(observe.NotShuttingDown(serving), observe.UpstreamReachable(closedURL(t)))
	if code, body := get(t, ready); code != http.StatusOK || body["upstream"] != "reachable" {
		t.Errorf("serving, upstream up: %d %v, want 200, upstream reachable", code, body)
	}
	if code, body := get(t, down); code != http.StatusOK || body["upstream"] != "unreachable" || !strings.Contains(body["upstream_reason"], "unreachable") {
		t.Errorf("serving, upstream down: %d %v, want 200, upstream unreachable", code, body)
	}
	stop()
	if code, body := get(t, ready); code != http.StatusServiceUnavailable || body["reason"] != "shutting down" || body["upstream"] != "reachable" {
		t.Errorf("shutting down: %d %v, want 503 shutting down, upstream still reported", code, body)
	}
}

// TestUpstreamReachableGauge: gqlfacade_upstream_reachable follows the check.
func TestUpstreamReachableGauge(t *testing.T) {
	for want, check := range map[string]func(context.Context) error{
		"1": func(context.Context) error { return nil },
		"0": observe.UpstreamReachable(closedURL(t)),
	} {
		m := observe.NewMetrics()
		m.WatchUpstream(check)
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if line := "gqlfacade_upstream_reachable " + want; !strings.Contains(rec.Body.String(), line) {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

// closedURL is an upstream base URL on a port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.Close()
	return "http://" + ln.Addr().String() + "/client/v4"
}

func TestUpstreamReachable(t *testing.T) {
	if err := observe.UpstreamReachable(closedURL(t))(context.Background()); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("closed port: err = %v, want unreachable", err)
	}
	for _, bad := range []string{"", "not a url", "ftp://host/x", "https://user:secret@/x"} {
		err := observe.UpstreamReachable(bad)(context.Background())
		if err == nil {
			t.Errorf("%q: no error", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the error quotes the URL: %v", bad, err)
		}
	}
}
