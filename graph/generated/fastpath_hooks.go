package generated

// This file is written by hand, not by gqlgen (which leaves it alone): it
// lets graph/fastpath resolve a Query.logs field exactly as the generated
// _Query_logs does and change only how the connection is written. It
// repeats three generated names — the connection's marshaller and the
// filter and order types in the resolver's signature — which follow the
// schema's type names: renaming those types means renaming them here too
// (the compiler says where).

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/model"
)

// LogConnectionRenderer writes a resolved logs connection for the
// selection sel. It returns nil when it cannot write this connection
// exactly as the generated code would; the generated marshaller then does.
type LogConnectionRenderer func(ctx context.Context, sel ast.SelectionSet, v *model.LogConnection) graphql.Marshaler

// QueryLogsResolver resolves collected Query.logs fields of es's
// operations; ok is false when es is not a schema of this package.
func QueryLogsResolver(es graphql.ExecutableSchema) (resolve func(ctx context.Context, field graphql.CollectedField, render LogConnectionRenderer) graphql.Marshaler, ok bool) {
	e, ok := es.(*executableSchema)
	if !ok {
		return nil, false
	}
	return func(ctx context.Context, field graphql.CollectedField, render LogConnectionRenderer) graphql.Marshaler {
		ec := newExecutionContext(graphql.GetOperationContext(ctx), e, nil)
		// As _Query_logs: the arguments coerced by the generated code, the
		// field context, the operation's resolver middleware, recovery from
		// a panic and the error reporting of graphql.ResolveField.
		return graphql.ResolveField(
			ctx,
			ec.OperationContext,
			field,
			func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
				return ec.fieldContext_Query_logs(ctx, field)
			},
			func(ctx context.Context) (any, error) {
				fc := graphql.GetFieldContext(ctx)
				return ec.Resolvers.Query().Logs(ctx, fc.Args["gatewayId"].(string), fc.Args["accountId"].(*string), fc.Args["first"].(*int), fc.Args["after"].(*string), fc.Args["last"].(*int), fc.Args["before"].(*string), fc.Args["filter"].(*model.AIGatewayLogFilter), fc.Args["orderBy"].(*model.AIGatewayLogOrder), fc.Args["search"].(*string))
			},
			nil,
			func(ctx context.Context, sel ast.SelectionSet, v *model.LogConnection) graphql.Marshaler {
				if m := render(ctx, sel, v); m != nil {
					return m
				}
				return ec.marshalOAIGatewayLogConnection2ᚖgithubᚗcomᚋaigwᚋgqlfacadeᚋgraphᚋmodelᚐLogConnection(ctx, sel, v)
			},
			true,
			false,
		)
	}, true
}
