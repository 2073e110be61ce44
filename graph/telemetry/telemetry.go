// Package telemetry reports each GraphQL operation to the service's
// metrics, request log and traces: it reads what is safe to record from
// gqlgen's operation and response, and hands it to observe, which knows
// nothing of GraphQL.
package telemetry

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/observe"
)

// Extension is the gqlgen extension: one span per operation, then one
// metrics observation and one request-log line.
//
// It intercepts responses rather than operations because the resolvers,
// and so the upstream calls, run inside the response handler, and so that
// operations refused before execution (parse and validation errors,
// QUERY_TOO_EXPENSIVE, unknown persisted queries) are reported as well.
//
// A subscription is one operation however many events it sends: it is
// reported once, when its stream ends, with the errors of all its events
// (subscription.go).
func Extension(metrics *observe.Metrics, log *observe.RequestLog) graphql.HandlerExtension {
	return extension{metrics: metrics, log: log}
}

type extension struct {
	metrics *observe.Metrics
	log     *observe.RequestLog
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.OperationInterceptor
} = extension{}

func (extension) ExtensionName() string                   { return "Telemetry" }
func (extension) Validate(graphql.ExecutableSchema) error { return nil }

func (e extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	op := operationOf(ctx)
	if op.Kind == "subscription" {
		return next(ctx) // reported as a whole (InterceptOperation)
	}
	ctx, endSpan := observe.StartOperation(ctx, op)
	resp := next(ctx)
	if resp == nil { // the end of a stream, not a response
		endSpan(op)
		return nil
	}
	op.UpstreamCalls = graph.UpstreamCalls(ctx)
	op.Errors = len(resp.Errors)
	addCodes(&op, resp)
	endSpan(op)
	e.metrics.RecordOperation(op)
	e.log.Record(ctx, op)
	return resp
}

// operationOf reads the executing operation from ctx. The name is the
// operation's name in the parsed document: an operationName that matches no
// operation (or a request that never parsed) leaves it anonymous.
func operationOf(ctx context.Context) observe.Operation {
	op := observe.Operation{Start: graphql.GetStartTime(ctx)}
	if !graphql.HasOperationContext(ctx) {
		return op
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
		op.Kind, op.Name = string(oc.Operation.Operation), oc.Operation.Name
	}
	return op
}

// addCodes adds the codes of resp's errors to op, each once: only the
// distinct codes are reported, and a subscription's errors add up over
// hours.
func addCodes(op *observe.Operation, resp *graphql.Response) {
	for _, err := range resp.Errors {
		code := ""
		if err != nil {
			code, _ = err.Extensions["code"].(string)
		}
		if !slices.Contains(op.Codes, code) {
			op.Codes = append(op.Codes, code)
		}
		op.ClientGone = op.ClientGone || code == graph.CodeClientClosedRequest
	}
}
