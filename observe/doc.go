// Package observe is the service's observability and frontend plumbing:
// Prometheus metrics, a structured request log, OpenTelemetry tracing, CORS
// and health endpoints. It knows nothing of GraphQL or of the upstream's
// API: the layers above hand it what to record.
//
// An operation is recorded as an Operation (Metrics.RecordOperation,
// RequestLog.Record, StartOperation), which graph/telemetry fills in from
// gqlgen; upstream calls are observed by http.RoundTrippers under the REST
// client (Metrics.Transport, TraceTransport), told by a hook which attempts
// are retries; the rest is net/http middleware and handlers. Nothing here
// ever records a credential, a query text or a variable: operations are
// described by their name, type, error codes, duration and upstream-call
// count only.
package observe
