package observe_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/aigw/gqlfacade/observe"
)

const (
	callerTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpanID  = "00f067aa0ba902b7"
)

func TestTracingOperationAndUpstreamSpansJoinTheCallersTrace(t *testing.T) {
	s := newStack(t)
	spans.Reset()
	r := s.post(gatewayLogs, map[string]any{"gw": s.sim.Gateways()[0]},
		"traceparent: 00-"+callerTraceID+"-"+callerSpanID+"-01")
	if len(r.Errors) > 0 {
		t.Fatalf("GatewayLogs: %+v", r.Errors)
	}
	got := spans.GetSpans()

	server := only(t, got, func(s tracetest.SpanStub) bool { return s.SpanKind == trace.SpanKindServer })
	if server.Parent.SpanID().String() != callerSpanID || !server.Parent.IsRemote() {
		t.Errorf("server span's parent = %v, want the caller's span %s", server.Parent.SpanID(), callerSpanID)
	}
	op := only(t, got, func(s tracetest.SpanStub) bool { return s.Name == "query GatewayLogs" })
	if op.SpanContext.TraceID().String() != callerTraceID {
		t.Errorf("operation span trace id = %s, want the caller's %s", op.SpanContext.TraceID(), callerTraceID)
	}
	if op.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Errorf("operation span's parent = %s, want the server span %s", op.Parent.SpanID(), server.SpanContext.SpanID())
	}
	wantAttr(t, op, "graphql.operation.name", attribute.StringValue("GatewayLogs"))
	wantAttr(t, op, "graphql.operation.type", attribute.StringValue("query"))
	wantAttr(t, op, "gqlfacade.upstream_calls", attribute.IntValue(s.sim.RequestCount()))

	var clientIDs []string
	for _, c := range got {
		if c.SpanKind != trace.SpanKindClient {
			continue
		}
		clientIDs = append(clientIDs, c.SpanContext.SpanID().String())
		if c.Parent.SpanID() != op.SpanContext.SpanID() {
			t.Errorf("upstream span %q's parent = %s, want the operation span %s", c.Name, c.Parent.SpanID(), op.SpanContext.SpanID())
		}
		for _, a := range c.Attributes {
			if a.Key == "url.full" && strings.Contains(a.Value.Emit(), "?") {
				t.Errorf("upstream span records the query string (the caller's filters): %s", a.Value.Emit())
			}
		}
	}
	if len(clientIDs) == 0 || len(clientIDs) != s.sim.RequestCount() {
		t.Fatalf("%d upstream spans for %d upstream requests", len(clientIDs), s.sim.RequestCount())
	}

	// cfsim got a traceparent naming the caller's trace and the upstream span.
	tps := s.upstream.all()
	if len(tps) != len(clientIDs) {
		t.Errorf("cfsim saw %d requests, want %d", len(tps), len(clientIDs))
	}
	for _, tp := range tps {
		parts := strings.Split(tp, "-")
		if len(parts) != 4 || parts[1] != callerTraceID || !slices.Contains(clientIDs, parts[2]) {
			t.Errorf("upstream traceparent = %q, want trace %s and one of the upstream spans %v", tp, callerTraceID, clientIDs)
		}
	}
	// The query string was hidden from the span only, not from the upstream.
	for _, req := range s.sim.Requests() {
		if req.RawQuery == "" {
			t.Errorf("upstream request %s lost its query string", req.Path)
		}
	}
}

func TestTracingMarksFailedOperations(t *testing.T) {
	s := newStack(t)
	spans.Reset()
	s.post(`query BadPage($gw: ID!) { logs(gatewayId: $gw, first: -1) { totalCount } }`, map[string]any{"gw": s.sim.Gateways()[0]})
	s.postRaw(`{"query":"{ nope"}`)
	got := spans.GetSpans()

	bad := only(t, got, func(s tracetest.SpanStub) bool { return s.Name == "query BadPage" })
	if bad.Status.Code != codes.Error {
		t.Errorf("status = %v, want Error", bad.Status)
	}
	wantAttr(t, bad, "gqlfacade.error_codes", attribute.StringSliceValue([]string{"BAD_USER_INPUT"}))
	// A request that never parsed still gets a span, with no name to show.
	unparsed := only(t, got, func(s tracetest.SpanStub) bool { return s.Name == "graphql" })
	wantAttr(t, unparsed, "graphql.operation.name", attribute.StringValue("anonymous"))
}

func TestSetupTracingIsANoOpWithoutAnEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	before := otel.GetTracerProvider()
	shutdown, err := observe.SetupTracing(context.Background(), "gqlfacade-test")
	if err != nil {
		t.Fatal(err)
	}
	if otel.GetTracerProvider() != before {
		t.Error("SetupTracing replaced the tracer provider without an endpoint")
	}
	if err := shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestSetupTracingExportsByOTLPHTTP(t *testing.T) {
	var (
		mu       sync.Mutex
		received []string
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "none")
	prevTP, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	defer func() { otel.SetTracerProvider(prevTP); otel.SetTextMapPropagator(prevProp) }()

	shutdown, err := observe.SetupTracing(context.Background(), "gqlfacade-test")
	if err != nil {
		t.Fatal(err)
	}
	if f := otel.GetTextMapPropagator().Fields(); !slices.Contains(f, "traceparent") || slices.Contains(f, "baggage") {
		t.Errorf("propagator fields = %v, want W3C Trace Context only", f)
	}
	_, span := otel.Tracer("test").Start(context.Background(), "exported-span")
	span.End()
	if err := shutdown(context.Background()); err != nil { // flushes
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 1 {
		t.Fatalf("collector received %d requests, want 1", len(received))
	}
	got := received[0]
	for _, want := range []string{"POST /v1/traces application/x-protobuf", "exported-span", "gqlfacade-test"} {
		if !strings.Contains(got, want) {
			t.Errorf("export %q lacks %q", got[:min(len(got), 80)], want)
		}
	}
}

func only(t *testing.T, got tracetest.SpanStubs, match func(tracetest.SpanStub) bool) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range got {
		if match(s) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		var names []string
		for _, s := range got {
			names = append(names, s.Name+"("+s.SpanKind.String()+")")
		}
		t.Fatalf("%d matching spans, want 1; spans: %v", len(found), names)
	}
	return found[0]
}

func wantAttr(t *testing.T, s tracetest.SpanStub, key string, want attribute.Value) {
	t.Helper()
	for _, a := range s.Attributes {
		if string(a.Key) == key {
			if a.Value.Emit() != want.Emit() {
				t.Errorf("span %q: %s = %s, want %s", s.Name, key, a.Value.Emit(), want.Emit())
			}
			return
		}
	}
	t.Errorf("span %q has no attribute %s", s.Name, key)
}
