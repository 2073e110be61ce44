package main

import (
	"context"
	"net/http"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graphiql"
	"github.com/aigw/gqlfacade/observe"
)

// routes are the public endpoints. serving ends when the server starts
// shutting down, which turns /readyz to 503; upstream (see watchUpstream)
// is reported there but never makes this replica unready.
func routes(serving context.Context, r *graph.Resolver, metrics *observe.Metrics, cfg config, upstream func(context.Context) error) http.Handler {
	mux := http.NewServeMux()
	cors := observe.CORS(cfg.CORSAllowedOrigins)
	inFlight := limitInFlight(cfg.MaxInFlight, cfg.MaxBodyBytes, metrics.Registry())
	mux.Handle("/query", cors(inFlight(observe.TraceHTTP(observe.CaptureStatus(graph.NewHandler(r))))))
	mux.Handle("GET /{$}", graphiql.Handler("AI Gateway logs", "/query", graphiql.Options{AssetBaseURL: cfg.GraphiQLAssetBaseURL}))
	if cfg.GraphiQLAssetsDir != "" {
		mux.Handle("GET "+graphiql.AssetsPath+"/", http.StripPrefix(graphiql.AssetsPath, graphiql.Assets(cfg.GraphiQLAssetsDir)))
	}
	mux.Handle("GET /healthz", observe.Healthz())
	mux.Handle("GET /readyz", observe.Readyz(observe.NotShuttingDown(serving), upstream))
	mux.Handle("GET /metrics", metrics.Handler())
	return mux
}

// watchUpstream is the check of whether the upstream accepts connections,
// also exported as the gauge gqlfacade_upstream_reachable; /readyz reports
// it. One check serves both, so they share its once-a-second dial.
func watchUpstream(cfg config, metrics *observe.Metrics) func(context.Context) error {
	upstream := observe.UpstreamReachable(cfg.APIBaseURL)
	metrics.WatchUpstream(upstream)
	return upstream
}
