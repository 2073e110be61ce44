package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// holdToDeadline makes every field of the operation check the request's
// deadline before it resolves. Fields that call upstream stop there anyway;
// introspection is answered from memory and would otherwise run on past
// the deadline. Only operations with introspection get the check, so the
// hot path of data queries pays nothing for it.
func holdToDeadline(oc *graphql.OperationContext) {
	next := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, resolve graphql.Resolver) (any, error) {
		if err := ctx.Err(); err != nil {
			return nil, requestEnded(err)
		}
		return next(ctx, resolve)
	}
}

// requestEnded is the error of a field that did not run because its
// request was over: past its deadline, or left by its client.
func requestEnded(err error) *gqlerror.Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return codedError(CodeRequestTimeout, "the request's deadline passed")
	}
	return codedError(CodeClientClosedRequest, "the client closed the request before it was answered")
}
