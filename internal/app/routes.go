package app

import (
	"context"
	"net/http"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graphiql"
	"github.com/aigw/gqlfacade/observe"
)

// routes are the public endpoints. serving ends when the server starts
// shutting down, which turns /readyz to 503; upstream is reported there
// but never makes this replica unready.
func routes(serving context.Context, r *graph.Resolver, metrics *observe.Metrics, cfg Config, upstream func(context.Context) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/query", chain(graph.NewHandler(r), queryMiddleware(cfg, metrics)...))
	mux.Handle("GET /{$}", graphiql.Handler("AI Gateway logs", "/query", graphiql.Options{
		AssetBaseURL:   cfg.GraphiQLAssetBaseURL,
		PersistHeaders: cfg.GraphiQLPersistHeaders,
	}))
	assets := graphiql.EmbeddedAssets()
	if cfg.GraphiQLAssetsDir != "" {
		assets = graphiql.Assets(cfg.GraphiQLAssetsDir)
	}
	mux.Handle("GET "+graphiql.AssetsPath+"/", http.StripPrefix(graphiql.AssetsPath, assets))
	mux.Handle("GET "+graphiql.FaviconPath, graphiql.Favicon())
	mux.Handle("GET /healthz", observe.Healthz())
	mux.Handle("GET /readyz", observe.Readyz(observe.NotShuttingDown(serving), upstream))
	mux.Handle("GET /metrics", metrics.Handler())
	return mux
}

// queryMiddleware wraps the GraphQL endpoint, outermost first. The order
// is what clients see (TestQueryMiddlewareOrder):
//   - CORS first, so that every answer, a 503 or 408 of the next ones
//     included, carries the headers a browser needs to read it;
//   - the drain of an unread body (one refused as too large) outside the
//     in-flight bound, so that reading it holds no place;
//   - the in-flight bound before anything that costs: a refused request is
//     answered at once, and a body that never arrives takes no place;
//   - tracing, then status capture, so that the operation's span and
//     request-log line see the status of every answer from here inwards.
//
// A stream (a WebSocket or an event stream, graph.IsStream) takes a place
// of -max-streams instead of -max-in-flight, and its operations are logged
// as they end: it has no status to wait for until it closes, maybe hours
// later.
//
// The GraphQL handler itself then bounds the body, reads the caller's
// credentials and gives the request its loaders and deadline.
func queryMiddleware(cfg Config, metrics *observe.Metrics) []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{
		observe.CORS(cfg.CORSAllowedOrigins),
		drainUnreadBody,
		forStreams(limitStreams(cfg.Streams.MaxStreams, metrics.Registry()),
			limitInFlight(cfg.MaxInFlight, cfg.MaxBodyBytes, metrics.Registry())),
		observe.TraceHTTP,
		unlessStream(observe.CaptureStatus),
	}
}

// chain wraps h in middleware, the first outermost.
func chain(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}
