package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/generated"
)

// NewHandler is the GraphQL endpoint (`/query`): gqlgen's server over our
// resolvers, wrapped so that each request reads its caller's credential and
// gets its own loaders.
func NewHandler(r *Resolver) http.Handler {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(strictGET{})
	srv.AddTransport(jsonPOST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(recoverPanic)
	if r.Config.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(costLimit{limits: r.Config.Limits, cfg: r.Config})
	for _, ext := range r.Config.Extensions {
		srv.Use(ext)
	}
	return limitBody(r.Config.MaxBodyBytes, WithCallerCredentials(r.WithLoaders(srv)))
}
