package observe

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const tracerName = "github.com/aigw/gqlfacade/observe"

// SetupTracing turns on OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT
// (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and OTEL_SDK_DISABLED is not
// true: spans go by OTLP/HTTP to that endpoint, and W3C Trace Context
// (traceparent) is read from callers and sent upstream. Otherwise it does
// nothing and the tracing extension and transports cost next to nothing.
//
// The exporter and SDK read the standard OTEL_* variables (headers, timeout,
// OTEL_TRACES_SAMPLER — by default a caller's sampling decision is followed
// and new traces are all sampled; OTEL_SERVICE_NAME overrides serviceName).
// Call it before building handlers and transports; shutdown flushes the
// spans still buffered.
func SetupTracing(ctx context.Context, serviceName string) (shutdown func(context.Context) error, err error) {
	noop := func(context.Context) error { return nil }
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return noop, nil
	}
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true") {
		return noop, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return noop, err
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", serviceName)),
		resource.WithFromEnv(), // after: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
		resource.WithTelemetrySDK(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		_ = exp.Shutdown(ctx)
		return noop, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	// Trace Context only: W3C baggage from callers would be forwarded to
	// the upstream as-is, and we have no use for it.
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, nil
}

// TraceHTTP continues the caller's trace: it reads traceparent from the
// incoming request and wraps the request in a server span, so that the
// operation and upstream spans below join the caller's trace. Wrap the
// GraphQL endpoint with it.
//
// While tracing is off (tracingOff) a request skips otelhttp altogether:
// with no tracer provider and no propagator it would still describe every
// request (attributes, a wrapped writer and body, a no-op span) and build
// the attributes of metrics that nothing reads — measured as added latency
// and CPU on every request (bench/README.md).
func TraceHTTP(next http.Handler) http.Handler {
	traced := otelhttp.NewHandler(next, "gqlfacade")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tracingOff() {
			next.ServeHTTP(w, r)
			return
		}
		traced.ServeHTTP(w, r)
	})
}

// The global tracer provider and propagator as the process started: OTel's
// no-op delegates, until SetupTracing (or a test) sets real ones.
var (
	initialTracerProvider = otel.GetTracerProvider()
	initialPropagator     = otel.GetTextMapPropagator()
)

// tracingOff reports that no tracer provider and no propagator was ever set,
// so that a span would record nothing and no trace context would be read
// or sent. It is read on every request, not once: what is set may come
// after the handlers are built.
func tracingOff() bool {
	return otel.GetTracerProvider() == initialTracerProvider && otel.GetTextMapPropagator() == initialPropagator
}

// StartOperation starts the span of a GraphQL operation, named
// "<type> <name>" (e.g. "query GatewayLogs"; "query" alone for an anonymous
// one, "graphql" when the request never parsed), with attributes
// graphql.operation.name and graphql.operation.type. end records
// gqlfacade.upstream_calls and gqlfacade.error_codes, sets status Error
// when errors were answered, and ends the span. The query text and
// variables are not recorded. Start it before the resolvers run, so that
// the upstream calls' spans are its children.
func StartOperation(ctx context.Context, op Operation) (_ context.Context, end func(Operation)) {
	name := op.Kind
	if name == "" {
		name = "graphql"
	}
	if op.Name != "" {
		name += " " + op.name()
	}
	attrs := []attribute.KeyValue{attribute.String("graphql.operation.name", op.name())}
	if op.Kind != "" {
		attrs = append(attrs, attribute.String("graphql.operation.type", op.Kind))
	}
	ctx, span := otel.Tracer(tracerName).Start(ctx, name, trace.WithAttributes(attrs...))
	return ctx, func(done Operation) {
		defer span.End()
		span.SetAttributes(attribute.Int("gqlfacade.upstream_calls", done.UpstreamCalls))
		if codes := done.codes(); len(codes) > 0 {
			span.SetAttributes(attribute.StringSlice("gqlfacade.error_codes", codes))
			span.SetStatus(otelcodes.Error, strings.Join(codes, ","))
		}
	}
}

// TraceTransport wraps base (nil: http.DefaultTransport) in otelhttp's
// client transport: a client span per upstream attempt, and the traceparent
// header on the request. The span's url.full leaves out the query string,
// which holds the caller's filters and search text.
func TraceTransport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return hideQuery{next: otelhttp.NewTransport(restoreQuery{base}), base: base}
}

type hiddenQueryKey struct{}

// hideQuery takes the query string off the request otelhttp describes;
// restoreQuery, under otelhttp, puts it back before the request is sent.
type hideQuery struct {
	next http.RoundTripper // otelhttp over restoreQuery over base
	base http.RoundTripper
}

// CloseIdleConnections reaches base past otelhttp (which does not forward
// it), so that http.Client.CloseIdleConnections still works.
func (h hideQuery) CloseIdleConnections() { closeIdle(h.base) }

func (h hideQuery) RoundTrip(req *http.Request) (*http.Response, error) {
	if tracingOff() {
		return h.base.RoundTrip(req) // as TraceHTTP: otelhttp would describe the call for no one
	}
	if req.URL == nil || req.URL.RawQuery == "" {
		return h.next.RoundTrip(req)
	}
	ctx := context.WithValue(req.Context(), hiddenQueryKey{}, req.URL.RawQuery)
	r := req.Clone(ctx) // a RoundTripper must not modify its request
	r.URL.RawQuery = ""
	return h.next.RoundTrip(r)
}

type restoreQuery struct{ base http.RoundTripper }

func (rq restoreQuery) RoundTrip(req *http.Request) (*http.Response, error) {
	q, ok := req.Context().Value(hiddenQueryKey{}).(string)
	if !ok {
		return rq.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.RawQuery = q
	return rq.base.RoundTrip(r)
}
