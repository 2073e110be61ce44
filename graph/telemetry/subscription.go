package telemetry

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/observe"
)

// InterceptOperation reports a subscription once, when its stream ends:
// one span from its start to its end, one metrics observation and one
// request-log line, with the errors of every event (a RATE_LIMITED notice,
// the error that ended it). A line per event would flood the log with one
// line per log delivered to each subscriber. The stream's handler is
// wrapped, not its responses: gqlgen ends a stream whose client left
// without passing its end through the response interceptors, and answers
// a subscription its resolver refused without them.
func (e extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	op := operationOf(ctx)
	ctx, endSpan := observe.StartOperation(ctx, op)
	responses := next(ctx)
	var once sync.Once
	var mu sync.Mutex
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil {
			mu.Lock()
			op.Errors += len(resp.Errors)
			addCodes(&op, resp)
			mu.Unlock()
			return resp
		}
		once.Do(func() {
			mu.Lock()
			defer mu.Unlock()
			op.UpstreamCalls = graph.UpstreamCalls(ctx)
			endSpan(op)
			e.metrics.RecordOperation(op)
			e.log.Record(ctx, op)
		})
		return nil
	}
}
