package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/fastpath"
	"github.com/aigw/gqlfacade/graph/generated"
)

// NewHandler is the GraphQL endpoint (`/query`): gqlgen's server over our
// resolvers, wrapped so that each request reads its caller's credential and
// gets its own loaders.
func NewHandler(r *Resolver) http.Handler {
	// gqlgen tries the transports in this order and serves a request with
	// the first that supports it. Transports for subscriptions go before
	// jsonPOST — WebSocket (an Upgrade, which jsonPOST and strictGET leave
	// alone) and Server-Sent Events (a JSON POST that asks for an event
	// stream first: urql lists text/event-stream last with every query,
	// which must stay a query) — and refuseRequest stays last.
	transports := []graphql.Transport{transport.Options{}, strictGET{}}
	if r.Tail != nil {
		transports = append(transports, r.websocketTransport(), r.eventStreamTransport())
	}
	return newHandler(r, append(transports, jsonPOST{}, refuseRequest{})...)
}

// newHandler is NewHandler with the given transports.
func newHandler(r *Resolver, transports ...graphql.Transport) http.Handler {
	h, _ := buildHandler(r, true, transports...)
	return h
}

// buildHandler is newHandler, with the fast path (graph/fastpath) in front
// of gqlgen's generated executor when fast is true, and returns the
// executable schema it runs. The fast path is left out when an extension
// intercepts fields: it writes a log's fields without a field resolution
// to intercept.
func buildHandler(r *Resolver, fast bool, transports ...graphql.Transport) (http.Handler, graphql.ExecutableSchema) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: r})
	exec := schema
	if fast && !interceptsFields(r.Config.Extensions) {
		exec = fastpath.Wrap(schema)
	}
	srv := handler.New(exec)
	for _, t := range transports {
		srv.AddTransport(t)
	}
	queries := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(queries)
	srv.SetValidationRulesFn(validationRules)
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(recoverPanic)
	if r.Config.Introspection {
		srv.Use(extension.Introspection{})
	}
	// In this order: the persisted query is found, its shape is bounded
	// before validation, its variables are coerced strictly, then priced.
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(shapeLimit{maxFields: r.Config.Limits.MaxFields, validated: queries})
	srv.Use(strictVariables{schema: schema.Schema()})
	srv.Use(costLimit{limits: r.Config.Limits, cfg: r.Config, schema: schema.Schema()})
	if !r.Config.FederationNodeFields {
		srv.Use(&nodeFieldsOut{})
	}
	srv.Use(streamEvents{r})
	for _, ext := range r.Config.Extensions {
		srv.Use(ext)
	}
	// A stream gets no request deadline and no Loaders: each of its
	// responses gets its own (streamEvents).
	perRequest := r.WithLoaders(srv)
	serve := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if IsStream(req) {
			srv.ServeHTTP(w, req)
			return
		}
		perRequest.ServeHTTP(w, req)
	})
	return limitBody(r.Config.MaxBodyBytes, WithCallerCredentials(serve)), exec
}

func interceptsFields(exts []graphql.HandlerExtension) bool {
	for _, e := range exts {
		if _, ok := e.(graphql.FieldInterceptor); ok {
			return true
		}
	}
	return false
}
