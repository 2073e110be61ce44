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

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/restclient"
)

func main() {
	tuneRuntime()
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		if !errors.Is(err, errFlagsPrinted) {
			fmt.Fprintln(os.Stderr, "gqlfacade:", err)
		}
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
	if cfg.OTLPEndpoint != "" {
		_ = os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", cfg.OTLPEndpoint) // the exporter reads the standard variable
	}
	shutdownTracing, err := observe.SetupTracing(ctx, "gqlfacade")
	if err != nil {
		return err
	}
	defer flushTraces(shutdownTracing, logger)
	metrics := observe.NewMetrics()
	httpClient, closeUpstream, err := upstreamClient(cfg, metrics, logger)
	if err != nil {
		return err
	}
	defer closeUpstream() // after shutdown: leave no upstream connection behind
	client, err := restclient.New(restclient.Options{BaseURL: cfg.APIBaseURL, HTTPClient: httpClient, UserAgent: "gqlfacade"})
	if err != nil {
		return err
	}
	resolver, err := newResolver(cfg, client, metrics, logger)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.Port))
	if err != nil {
		return err
	}
	// ReadTimeout bounds reading a request's headers and body; net/http
	// lifts it once the body is in, so it never cuts a slow answer short.
	srv := &http.Server{
		Handler:        routes(ctx, resolver, metrics, cfg, watchUpstream(cfg, metrics)),
		ReadTimeout:    cfg.ReadTimeout,
		WriteTimeout:   cfg.writeTimeout(),
		IdleTimeout:    cfg.IdleTimeout,
		MaxHeaderBytes: 64 << 10,
	}
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

// newResolver configures the GraphQL layer over client.
func newResolver(cfg config, client *restclient.Client, metrics *observe.Metrics, logger *slog.Logger) (*graph.Resolver, error) {
	gcfg := graph.DefaultConfig()
	gcfg.DefaultAccountID, gcfg.ServerToken = cfg.AccountID, cfg.APIToken
	gcfg.MaxPageSize, gcfg.MaxConcurrentCalls = cfg.MaxPageSize, cfg.UpstreamCalls
	gcfg.Limits = graph.Limits{MaxUpstreamCalls: cfg.MaxUpstreamCalls, MaxDepth: cfg.MaxDepth, MaxFields: cfg.MaxFields, MaxValues: cfg.MaxValues}
	gcfg.MaxNodes, gcfg.MaxBodyBytes, gcfg.Introspection = cfg.MaxNodes, cfg.MaxBodyBytes, cfg.Introspection
	gcfg.RequestTimeout, gcfg.UpstreamTimeout = cfg.RequestTimeout, cfg.UpstreamTimeout
	gcfg.CacheTTL = cfg.cacheTTL() // new walks share a snapshot this long, so repeats hit the cache
	gcfg.Extensions = []graphql.HandlerExtension{metrics.Extension(), observe.RequestLog(logger), observe.Tracing()}
	if cfg.CursorSecret != "" {
		var err error
		if gcfg.Cursors, err = paging.NewSigner([]byte(cfg.CursorSecret)); err != nil {
			return nil, err
		}
	} else {
		logger.Info("no cursor secret (-cursor-secret, CURSOR_SECRET): cursors are signed with a random key, so a restart or another replica refuses them and clients start their walks again")
	}
	return &graph.Resolver{Upstream: client, Config: gcfg, Observer: metrics, Now: cfg.now}, nil
}

// flushTraces sends the spans still buffered before the process exits.
func flushTraces(shutdown func(context.Context) error, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil {
		logger.Warn("flushing traces", "error", err)
	}
}
