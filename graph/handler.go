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
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: r})
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(strictGET{})
	srv.AddTransport(jsonPOST{})
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
	for _, ext := range r.Config.Extensions {
		srv.Use(ext)
	}
	return limitBody(r.Config.MaxBodyBytes, WithCallerCredentials(r.WithLoaders(srv)))
}
