package main

import (
	"context"
	"net/http"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graphiql"
	"github.com/aigw/gqlfacade/observe"
)

// routes are the public endpoints of DESIGN.md. serving ends when the
// server starts shutting down, which turns /readyz to 503.
func routes(serving context.Context, r *graph.Resolver, metrics *observe.Metrics, cfg config) http.Handler {
	mux := http.NewServeMux()
	cors := observe.CORS(cfg.CORSAllowedOrigins)
	inFlight := limitInFlight(cfg.MaxInFlight, cfg.MaxBodyBytes, metrics.Registry())
	mux.Handle("/query", cors(inFlight(observe.TraceHTTP(observe.CaptureStatus(graph.NewHandler(r))))))
	mux.Handle("GET /{$}", graphiql.Handler("AI Gateway logs", "/query", graphiql.Options{AssetBaseURL: cfg.GraphiQLAssetBaseURL}))
	if cfg.GraphiQLAssetsDir != "" {
		mux.Handle("GET "+graphiql.AssetsPath+"/", http.StripPrefix(graphiql.AssetsPath, graphiql.Assets(cfg.GraphiQLAssetsDir)))
	}
	mux.Handle("GET /healthz", observe.Healthz())
	mux.Handle("GET /readyz", observe.Readyz(observe.AllChecks(
		observe.NotShuttingDown(serving), observe.UpstreamReachable(cfg.APIBaseURL))))
	mux.Handle("GET /metrics", metrics.Handler())
	return mux
}
