package observe

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph"
)

// Extension records every GraphQL operation: the count by name and
// outcome, the latency, each error code, and the upstream calls it made.
// Register it with srv.Use on the gqlgen server.
//
// It intercepts responses rather than operations so that operations refused
// before execution (parse and validation errors, QUERY_TOO_EXPENSIVE,
// unknown persisted queries) are counted as well.
func (m *Metrics) Extension() graphql.HandlerExtension { return metricsExtension{m} }

type metricsExtension struct{ m *Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = metricsExtension{}

func (metricsExtension) ExtensionName() string                   { return "ObserveMetrics" }
func (metricsExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e metricsExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil { // end of a stream, not a response
		return nil
	}
	m := e.m
	name := m.names.label(operationOf(ctx).name)
	codes := errorCodes(resp.Errors)
	m.operations.WithLabelValues(name, outcome(codes)).Inc()
	for _, c := range codes {
		m.operationErrors.WithLabelValues(name, c).Inc()
	}
	m.operationSeconds.WithLabelValues(name).Observe(time.Since(startOf(ctx)).Seconds())
	m.upstreamCallsPerOp.WithLabelValues(name).Observe(float64(graph.UpstreamCalls(ctx)))
	return resp
}

// startOf is when gqlgen began handling the request (the transport sets
// it), or now if it did not.
func startOf(ctx context.Context) time.Time {
	if t := graphql.GetStartTime(ctx); !t.IsZero() {
		return t
	}
	return time.Now()
}
