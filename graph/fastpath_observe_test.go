package graph_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graph/telemetry"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/restclient"
)

// spans receives the operation spans of the test below. otel's global
// provider delegates only to the first one set, and no other test of the
// package sets one.
var (
	spans     = tracetest.NewInMemoryExporter()
	spansOnce sync.Once
)

// observed is what one executor's run of the script left: its answers, its
// request-log lines, its operation metrics and its spans, without what
// differs between any two runs (durations, trace ids).
type observed struct {
	answers, log, metrics, spans []string
	served                       uint64
}

// TestFastPathObservedAsGqlgen runs the same requests on the fast path and
// on gqlgen's executor, each with the service's telemetry (metrics,
// request log, tracing), and holds everything they leave to be the same:
// a priced query (named, paged, with a failing field beside an answering
// one), Apollo's persisted queries (unknown hash, registration, hash
// alone), and an operation over the cost limit.
func TestFastPathObservedAsGqlgen(t *testing.T) {
	spansOnce.Do(func() { otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))) })
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 120})
	rc := testenv.Client(t, base, restclient.Options{MaxBackoff: time.Millisecond})
	upstream := &sameAnswers{Client: rc}
	now, signer := time.Now(), graph.DefaultConfig().Cursors
	run := func(fast bool) observed {
		metrics := observe.NewMetrics()
		var logs bytes.Buffer
		cfg := graph.DefaultConfig()
		cfg.Cursors = signer
		cfg.ServerToken, cfg.DefaultAccountID = cfsim.DemoToken, sim.AccountID()
		cfg.Limits.MaxUpstreamCalls = 6
		cfg.Extensions = append(cfg.Extensions, telemetry.Extension(metrics, observe.NewRequestLog(slog.New(slog.NewJSONHandler(&logs, nil)))))
		r := &graph.Resolver{Upstream: upstream, Config: cfg, Now: func() time.Time { return now }}
		h, served := graph.NewHandlerServed(r)
		if !fast {
			h, served = graph.NewGqlgenHandler(r), func() uint64 { return 0 }
		}
		spans.Reset()
		var o observed
		for _, body := range observeScript() {
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			o.answers = append(o.answers, fmt.Sprintf("%d %s", rec.Code, rec.Body))
		}
		for line := range strings.Lines(logs.String()) {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			delete(m, "time")
			delete(m, "duration_ms")
			if _, ok := m["trace_id"]; ok {
				m["trace_id"] = "(one)"
			}
			b, _ := json.Marshal(m)
			o.log = append(o.log, string(b))
		}
		fams, err := metrics.Registry().Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fams {
			if !strings.HasPrefix(f.GetName(), "gqlfacade_graphql_") || strings.Contains(f.GetName(), "seconds") {
				continue
			}
			for _, m := range f.GetMetric() {
				o.metrics = append(o.metrics, f.GetName()+labels(m)+fmt.Sprint(m.GetCounter().GetValue(), m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()))
			}
		}
		for _, s := range spans.GetSpans() {
			o.spans = append(o.spans, fmt.Sprint(s.Name, s.Attributes, s.Status))
		}
		slices.Sort(o.spans)
		o.served = served()
		return o
	}
	fast, slow := run(true), run(false)
	if fast.served == 0 {
		t.Fatal("no operation of the script ran on the fast path")
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{{"answers", fast.answers, slow.answers}, {"request log", fast.log, slow.log}, {"metrics", fast.metrics, slow.metrics}, {"spans", fast.spans, slow.spans}} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s differ:\nfast path:\n%s\ngqlgen:\n%s", c.what, strings.Join(c.got, "\n"), strings.Join(c.want, "\n"))
		}
	}
	if len(fast.log) != len(observeScript()) || len(fast.spans) != len(observeScript()) {
		t.Errorf("%d log lines and %d spans for %d requests", len(fast.log), len(fast.spans), len(observeScript()))
	}
}

func labels(m *dto.Metric) string {
	var b strings.Builder
	for _, l := range m.GetLabel() {
		fmt.Fprintf(&b, "{%s=%s}", l.GetName(), l.GetValue())
	}
	return b.String()
}

// observeScript is the requests of TestFastPathObservedAsGqlgen.
func observeScript() []string {
	page := `query Page($after: String) { logs(gatewayId: "prod-chat", first: 60, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { logId cost } } missing: logs(gatewayId: "no-such-gateway", first: 5) { totalCount } }`
	apq := `query Persisted { logs(gatewayId: "staging", first: 3) { edges { cursor node { id createdAt } } } }`
	sum := sha256.Sum256([]byte(apq))
	ext := fmt.Sprintf(`"extensions":{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hex.EncodeToString(sum[:]))
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return []string{
		`{"query":` + quote(page) + `}`,
		`{` + ext + `}`,                            // PERSISTED_QUERY_NOT_FOUND
		`{"query":` + quote(apq) + `,` + ext + `}`, // registers it
		`{` + ext + `}`,                            // the hash alone
		`{"query":` + quote(`query TooDear { a: logs(gatewayId: "prod-chat", first: 200) { totalCount } b: logs(gatewayId: "staging", first: 200) { totalCount } }`) + `}`,
	}
}
