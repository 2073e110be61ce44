// Command gqlfacade serves a GraphQL API over Cloudflare AI Gateway's logs.
//
//	go run . -demo        # on the built-in simulated upstream, GraphiQL at http://localhost:8080/
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graphiql"
	"github.com/aigw/gqlfacade/restclient"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(ctx, cfg, logger, nil); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully: in-flight
// requests get cfg.ShutdownGrace to finish. ready, if not nil, receives the
// listening address.
func run(ctx context.Context, cfg config, logger *slog.Logger, ready chan<- string) error {
	if cfg.Demo {
		stopDemo, err := startDemoUpstream(ctx, &cfg, logger)
		if err != nil {
			return err
		}
		defer stopDemo()
	}
	httpClient := restclient.NewHTTPClient(0)
	defer httpClient.CloseIdleConnections() // after shutdown: leave no upstream connection behind
	client, err := restclient.New(restclient.Options{BaseURL: cfg.APIBaseURL, HTTPClient: httpClient, UserAgent: "gqlfacade"})
	if err != nil {
		return err
	}
	gcfg := graph.DefaultConfig()
	gcfg.DefaultAccountID, gcfg.ServerToken = cfg.AccountID, cfg.APIToken
	gcfg.MaxPageSize, gcfg.MaxConcurrentCalls = cfg.MaxPageSize, cfg.UpstreamCalls
	gcfg.Limits = graph.Limits{MaxUpstreamCalls: cfg.MaxUpstreamCalls, MaxDepth: cfg.MaxDepth, MaxFields: cfg.MaxFields}
	gcfg.MaxNodes, gcfg.MaxBodyBytes, gcfg.Introspection = cfg.MaxNodes, cfg.MaxBodyBytes, cfg.Introspection
	gcfg.RequestTimeout, gcfg.UpstreamTimeout = cfg.RequestTimeout, cfg.UpstreamTimeout
	resolver := &graph.Resolver{Upstream: client, Config: gcfg}

	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.Port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: routes(resolver, cfg), ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	logger.Info("listening", "addr", ln.Addr().String(), "demo", cfg.Demo, "graphiql", fmt.Sprintf("http://localhost:%d/", cfg.Port))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// routes are the public endpoints of DESIGN.md.
func routes(r *graph.Resolver, cfg config) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/query", graph.NewHandler(r))
	mux.Handle("GET /{$}", graphiql.Handler("AI Gateway logs", "/query", graphiql.Options{AssetBaseURL: cfg.GraphiQLAssetBaseURL}))
	if cfg.GraphiQLAssetsDir != "" {
		mux.Handle("GET "+graphiql.AssetsPath+"/", http.StripPrefix(graphiql.AssetsPath, graphiql.Assets(cfg.GraphiQLAssetsDir)))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	return mux
}

// startDemoUpstream serves the simulated upstream on a loopback port of
// this process, with logs arriving live, and points cfg at it.
func startDemoUpstream(ctx context.Context, cfg *config, logger *slog.Logger) (func(), error) {
	sim := cfsim.New(cfsim.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stopTraffic := sim.StartTraffic(ctx, 2*time.Second, 1)
	cfg.APIBaseURL = "http://" + ln.Addr().String() + "/client/v4"
	cfg.AccountID = sim.AccountID()
	if cfg.APIToken == "" {
		cfg.APIToken = cfsim.DemoToken
	}
	logger.Info("demo upstream", "url", cfg.APIBaseURL, "gateways", sim.Gateways())
	return func() { stopTraffic(); _ = srv.Close() }, nil
}
