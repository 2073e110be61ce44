// Package apptest is the whole service under test: app.New over a
// simulated upstream, as it ships, closed when the test ends. It is apart
// from internal/testenv because app imports ratebudget and restclient, whose own
// tests use testenv: one package would be an import cycle for them.
package apptest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// New builds the service with app.New over the upstream at baseURL (see
// testenv.Upstream), pointed at sim's account with cfsim's demo token.
// tune, when not nil, changes app.Defaults() after that; opts pass through,
// except that a nil Logger discards the log. The service is closed when
// the test ends.
func New(t testing.TB, sim *cfsim.Server, baseURL string, tune func(*app.Config), opts app.Options) *app.App {
	t.Helper()
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.APIToken, cfg.AccountID = baseURL, cfsim.DemoToken, sim.AccountID()
	if tune != nil {
		tune(&cfg)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	service, err := app.New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { _ = service.Close() })
	return service
}

// shutdownGrace bounds the wait for requests a test left in flight.
const shutdownGrace = 5 * time.Second

// Serve serves the service on a 127.0.0.1 listener with the timeouts and
// limits of its App.Server(), as the command does, and returns its root
// URL (http://127.0.0.1:port). When the test ends the server shuts down
// as the command's does, letting requests in flight finish (within
// shutdownGrace), before the service closes.
func Serve(t testing.TB, service *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := service.Server()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
			_ = srv.Close()
		}
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serving: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// Piped is New over sim on an in-memory network (testenv.Pipe), for a test
// inside a testing/synctest bubble; call it inside the bubble. Unless opts
// has one, the upstream reachability check always succeeds: the shipped
// one dials (and resolves) for real, which a bubble must not.
func Piped(t testing.TB, sim *cfsim.Server, tune func(*app.Config), opts app.Options) *app.App {
	t.Helper()
	opts.Wire = testenv.Pipe(t, sim)
	if opts.UpstreamCheck == nil {
		opts.UpstreamCheck = func(context.Context) error { return nil }
	}
	return New(t, sim, testenv.PipeHost+testenv.APIPath, tune, opts)
}
