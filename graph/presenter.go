package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// presentError makes sure every error a client sees has extensions.code.
// Our resolvers code their own errors and panics are coded by recoverPanic,
// so an error that arrives here without a code comes from gqlgen coercing
// an argument (a malformed DateTime, an Int out of range, …): the client's
// input was wrong.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	out := graphql.DefaultErrorPresenter(ctx, err)
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	if _, ok := out.Extensions["code"]; !ok {
		out.Extensions["code"] = CodeBadUserInput
	}
	return out
}

// recoverPanic turns a panic in a resolver into a coded error for that field
// alone; the details go to the log, not to the client.
func recoverPanic(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", p, "path", graphql.GetPath(ctx).String())
	return codedError(CodeInternalServerError, "internal error")
}
