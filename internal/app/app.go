// Package app assembles the service: the upstream transport chain, the
// GraphQL layer with its limits and extensions, the routes and the HTTP
// server's settings. The command (package main) keeps flags, signals and
// the listener; tests and the benchmark build the same stack through New.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/graph/telemetry"
	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/restclient"
)

// Options are the parts of the stack a test may replace; the zero value is
// the service as it ships.
type Options struct {
	Logger *slog.Logger // nil: JSON lines on stderr
	// Wire is the transport under the whole upstream chain; nil: the tuned
	// network transport (-upstream-connections).
	Wire http.RoundTripper
	// UpstreamCheck tells whether the upstream accepts connections, for
	// /readyz and the reachability gauge; nil: a TCP dial to its host.
	UpstreamCheck func(context.Context) error
}

// App is the assembled service.
type App struct {
	cfg      Config
	handler  http.Handler
	resolver *graph.Resolver
	closers  []func() // in the order they were added; run backwards
	logger   *slog.Logger
}

// New builds the service for cfg. serving ends when the server starts
// shutting down, which makes /readyz answer 503. With cfg.Demo, the
// simulated upstream runs in this process and cfg is pointed at it.
func New(serving context.Context, cfg Config, opts Options) (a *App, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	a = &App{logger: logger}
	defer func() {
		if err != nil {
			_ = a.Close()
		}
	}()
	if cfg.Demo {
		stopDemo, err := startDemoUpstream(serving, &cfg, logger)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, stopDemo)
	}
	if cfg.CacheTTL > 0 && cfg.cacheTTL() == 0 {
		logger.Warn("cache-ttl is ignored: the cache is part of the rate budget, which is off (-rate-limit 0, or -demo)")
	}
	if cfg.OTLPEndpoint != "" {
		_ = os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", cfg.OTLPEndpoint) // the exporter reads the standard variable
	}
	shutdownTracing, err := observe.SetupTracing(serving, "gqlfacade")
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, func() { flushTraces(shutdownTracing, logger) })
	metrics := observe.NewMetrics()
	httpClient, budget, closeUpstream, err := upstreamClient(opts.Wire, cfg, metrics, logger)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, closeUpstream) // after shutdown: leave no upstream connection behind
	client, err := restclient.New(restclient.Options{
		BaseURL: cfg.APIBaseURL, HTTPClient: httpClient, UserAgent: "gqlfacade",
		OnFilterNotApplied: func(key restclient.FilterKey) { metrics.FilterNotApplied(string(key)) },
	})
	if err != nil {
		return nil, err
	}
	resolver, err := newResolver(cfg, client, metrics, logger)
	if err != nil {
		return nil, err
	}
	resolver.Tail = newTail(cfg, client, budget, metrics)
	a.closers = append(a.closers, resolver.Tail.Close) // before the upstream closes: no poller is left calling
	check := opts.UpstreamCheck
	if check == nil {
		check = observe.UpstreamReachable(cfg.APIBaseURL)
	}
	metrics.WatchUpstream(check)
	a.cfg, a.handler, a.resolver = cfg, routes(serving, resolver, metrics, cfg, check), resolver
	return a, nil
}

// Handler serves every route of the service.
func (a *App) Handler() http.Handler { return a.handler }

// Config is the configuration the service runs with (with -demo, pointed
// at the simulated upstream).
func (a *App) Config() Config { return a.cfg }

// Server is an HTTP server for the service with its timeouts and limits.
// ReadTimeout bounds reading a request's headers and body; net/http lifts
// it once the body is in, so it never cuts a slow answer short.
//
// When it starts shutting down, its streams end (graph.Resolver.CloseStreams):
// every subscription gets a last event with the cursor to resume from, and
// every WebSocket is closed once its operations are over; Shutdown would
// otherwise wait for them until the grace period ran out.
func (a *App) Server() *http.Server {
	srv := &http.Server{
		Handler:        a.handler,
		ReadTimeout:    a.cfg.ReadTimeout,
		WriteTimeout:   a.cfg.writeTimeout(),
		IdleTimeout:    a.cfg.IdleTimeout,
		MaxHeaderBytes: 64 << 10,
	}
	srv.RegisterOnShutdown(a.resolver.CloseStreams)
	return srv
}

// Close releases what New started, after the server has shut down.
func (a *App) Close() error {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
	return nil
}

// newResolver configures the GraphQL layer over client.
func newResolver(cfg Config, client *restclient.Client, metrics *observe.Metrics, logger *slog.Logger) (*graph.Resolver, error) {
	gcfg := graph.DefaultConfig()
	gcfg.DefaultAccountID, gcfg.ServerToken = cfg.AccountID, cfg.APIToken
	gcfg.MaxPageSize, gcfg.MaxConcurrentCalls = cfg.MaxPageSize, cfg.UpstreamCalls
	gcfg.Limits = graph.Limits{MaxUpstreamCalls: cfg.MaxUpstreamCalls, MaxDepth: cfg.MaxDepth, MaxFields: cfg.MaxFields, MaxValues: cfg.MaxValues}
	gcfg.MaxNodes, gcfg.MaxBodyBytes, gcfg.Introspection = cfg.MaxNodes, cfg.MaxBodyBytes, cfg.Introspection
	gcfg.FederationNodeFields = cfg.FederationNodeFields
	gcfg.MaxWalkGateways = cfg.MaxWalkGateways
	gcfg.RequestTimeout, gcfg.UpstreamTimeout = cfg.RequestTimeout, cfg.UpstreamTimeout
	gcfg.CacheTTL = cfg.cacheTTL() // new walks share a snapshot this long, so repeats hit the cache
	gcfg.Extensions = []graphql.HandlerExtension{telemetry.Extension(metrics, observe.NewRequestLog(logger))}
	gcfg.Streams.KeepAlive, gcfg.Streams.MaxOperationsPerConnection = cfg.Streams.KeepAlive, cfg.Streams.MaxOpsPerConnection
	gcfg.Streams.OriginPatterns = cfg.CORSAllowedOrigins
	if cfg.CursorSecret != "" {
		var err error
		if gcfg.Cursors, err = paging.NewSigner([]byte(cfg.CursorSecret)); err != nil {
			return nil, err
		}
	} else {
		logger.Info("no cursor secret (-cursor-secret, CURSOR_SECRET): cursors are signed with a random key, so a restart or another replica refuses them and clients start their walks again")
	}
	return &graph.Resolver{Upstream: client, Config: gcfg, Observer: metrics, Now: cfg.Now}, nil
}

// flushTraces sends the spans still buffered before the process exits.
func flushTraces(shutdown func(context.Context) error, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Warn("flushing traces", "error", fmt.Sprint(err))
	}
}
