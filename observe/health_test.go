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
	if code, body := get(t, observe.Readyz(func(context.Context) error { return nil })); code != http.StatusOK || body["status"] != "ok" {
		t.Errorf("passing check: %d %v, want 200 ok", code, body)
	}
	code, body := get(t, observe.Readyz(func(context.Context) error { return errors.New("upstream unreachable: refused") }))
	if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || body["reason"] != "upstream unreachable: refused" {
		t.Errorf("failing check: %d %v, want 503 with the reason", code, body)
	}
}

func TestReadyzChecksShutdownAndUpstream(t *testing.T) {
	up := httptest.NewServer(http.NotFoundHandler())
	defer up.Close()
	serving, stop := context.WithCancel(context.Background())
	ready := observe.Readyz(observe.AllChecks(observe.NotShuttingDown(serving), observe.UpstreamReachable(up.URL+"/client/v4")))
	if code, body := get(t, ready); code != http.StatusOK {
		t.Errorf("serving, upstream up: %d %v, want 200", code, body)
	}
	stop()
	if code, body := get(t, ready); code != http.StatusServiceUnavailable || body["reason"] != "shutting down" {
		t.Errorf("shutting down: %d %v, want 503 shutting down", code, body)
	}
}

func TestUpstreamReachable(t *testing.T) {
	// A port nothing listens on: take one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/client/v4"
	_ = ln.Close()
	if err := observe.UpstreamReachable(closed)(context.Background()); err == nil || !strings.Contains(err.Error(), "unreachable") {
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
