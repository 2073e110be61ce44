// Package observe is the service's observability and frontend plumbing:
// Prometheus metrics, a structured request log, OpenTelemetry tracing, CORS
// and health endpoints.
//
// The GraphQL side plugs in as gqlgen extensions (Metrics.Extension,
// RequestLog, Tracing); the upstream side as http.RoundTrippers under
// restclient (Metrics.Transport, TraceTransport); the rest as net/http
// middleware and handlers. Nothing here ever records a credential, a query
// text or a variable: operations are described by their name, type, error
// codes, duration and upstream-call count only.
package observe
