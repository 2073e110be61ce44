package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/testenv"
)

func startServer(t *testing.T, cfg app.Config) (addr string, stop func() error) {
	t.Helper()
	return startServerLogging(t, cfg, slog.New(slog.DiscardHandler))
}

// startServerLogging runs the command's run with cfg, logging to logger,
// until stop is called.
func startServerLogging(t *testing.T, cfg app.Config, logger *slog.Logger) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, cfg, logger, ready) }()
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatalf("server did not start: %v", err)
	}
	return strings.Replace(addr, "[::]", "127.0.0.1", 1), func() error { cancel(); return <-errc }
}

// logSeen is a log destination that tells when a message is logged.
type logSeen struct {
	msg  string
	seen chan struct{}
	once sync.Once
}

func newLogSeen(msg string) *logSeen { return &logSeen{msg: msg, seen: make(chan struct{})} }

func (h *logSeen) Enabled(context.Context, slog.Level) bool { return true }
func (h *logSeen) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logSeen) WithGroup(string) slog.Handler            { return h }
func (h *logSeen) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.seen) })
	}
	return nil
}

func testConfig(t *testing.T) app.Config {
	t.Helper()
	cfg, err := parseConfig([]string{"-host", "127.0.0.1", "-port", "0"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.ShutdownGrace = 5 * time.Second
	return cfg
}

// TestGracefulShutdownLetsInFlightRequestsFinish: SIGTERM (here: the run
// context ending) while a query waits on a slow upstream; the query still
// gets its full answer, and the server then stops cleanly.
func TestGracefulShutdownLetsInFlightRequestsFinish(t *testing.T) {
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 100})
	held, release := make(chan struct{}), make(chan struct{})
	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Held: held, Release: release})

	cfg := testConfig(t)
	cfg.APIBaseURL, cfg.APIToken, cfg.AccountID = base, cfsim.DemoToken, sim.AccountID()
	stopping := newLogSeen("shutting down")
	addr, stop := startServerLogging(t, cfg, slog.New(stopping))

	type result struct {
		status int
		body   string
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/query", "application/json",
			strings.NewReader(`{"query":"{ logs(gatewayId: \"prod-chat\") { totalCount } }"}`))
		if err != nil {
			done <- result{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- result{resp.StatusCode, string(b)}
	}()
	<-held // the query has reached the upstream
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	<-stopping.seen // the server shuts down with the query in flight
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	r := <-done
	var out struct {
		Data struct{ Logs struct{ TotalCount int } }
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &out) != nil || out.Data.Logs.TotalCount != 100 {
		t.Fatalf("in-flight query got %d %s", r.status, r.body)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

// TestDemoServesGraphiQLAndAnswersWithoutCredentials: `-demo` needs nothing.
func TestDemoServesGraphiQLAndAnswersWithoutCredentials(t *testing.T) {
	cfg := testConfig(t)
	cfg.Demo = true
	addr, stop := startServer(t, cfg)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "graphiql") {
		t.Fatalf("GET / = %d, not GraphiQL", resp.StatusCode)
	}
	resp, err = http.Post("http://"+addr+"/query", "application/json",
		strings.NewReader(`{"query":"{ logs(gatewayId: \"prod-chat\", first: 2) { totalCount nodes { logId } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Logs struct {
				TotalCount int
				Nodes      []struct{ LogID string }
			}
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 || len(out.Data.Logs.Nodes) != 2 || out.Data.Logs.TotalCount < 1000 {
		t.Fatalf("demo query: %v %+v", err, out)
	}
	if r, err := http.Get("http://" + addr + "/healthz"); err != nil || r.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
}

func TestConfigFlagsOverEnvironment(t *testing.T) {
	t.Setenv("PORT", "9999")
	t.Setenv("CLOUDFLARE_ACCOUNT_ID", "from-env")
	t.Setenv("DEMO", "1")
	cfg, err := parseConfig([]string{"-port", "7000"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 7000 || cfg.AccountID != "from-env" || !cfg.Demo {
		t.Fatalf("app.Config %+v", cfg)
	}
	if _, err := parseConfig([]string{"-max-page-size", "0"}); err == nil {
		t.Fatal("a max page size of 0 was accepted")
	}
}
