package observe_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aigw/gqlfacade/internal/inlinehttp"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

// spans receives every span of the package's tests. The global tracer
// provider is set once, here: otel's globals delegate only to the first
// provider set, and the code under test uses the globals as production does.
var spans = tracetest.NewInMemoryExporter()

func TestMain(m *testing.M) {
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans)))
	otel.SetTextMapPropagator(propagation.TraceContext{})
	goleak.VerifyTestMain(m)
}

// callerToken is a caller's own credential; it must never show up in logs.
const callerToken = "caller-secret-token-4f1c9a"

// stack is the service as it ships (app.New), over cfsim on a real
// listener, with the network transport under it kept by the test.
type stack struct {
	t        *testing.T
	sim      *cfsim.Server
	handler  http.Handler // every route of the service
	log      *syncBuffer
	upstream *headerLog // what cfsim received, per request
	wire     *inlinehttp.Transport
}

func newStack(t *testing.T, tune ...func(*app.Config)) *stack {
	t.Helper()
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 60, Tokens: []string{callerToken}})
	seen := &headerLog{}
	base := testenv.Serve(t, seen.wrap(sim))
	logs := &syncBuffer{}
	wire := restclient.NewHTTPClient(4).Transport.(*inlinehttp.Transport)
	service := apptest.New(t, sim, base, func(c *app.Config) {
		for _, f := range tune {
			f(c)
		}
	}, app.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Wire: wire})
	return &stack{t: t, sim: sim, handler: service.Handler(), log: logs, upstream: seen, wire: wire}
}

// gqlResponse is a GraphQL answer, decoded loosely.
type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends one GraphQL request; header is "Name: value" pairs.
func (s *stack) post(query string, vars map[string]any, header ...string) gqlResponse {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return s.postRaw(string(body), header...)
}

func (s *stack) postRaw(body string, header ...string) gqlResponse {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, h := range header {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	var r gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		s.t.Fatalf("response %d %q: %v", rec.Code, rec.Body.String(), err)
	}
	return r
}

// scrape reads /metrics through the metrics handler.
func (s *stack) scrape() string {
	s.t.Helper()
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		s.t.Fatalf("/metrics: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// scrapeUntil scrapes until series is there: a count that follows an
// answer (an upstream call its caller gave up on ends after the answer is
// written) appears a moment later. It waits for that event, not for a time:
// the test's own deadline bounds it.
func (s *stack) scrapeUntil(series string) string {
	s.t.Helper()
	for {
		m := s.scrape()
		if _, ok := sample(m, series); ok || s.t.Context().Err() != nil {
			return m
		}
		runtime.Gosched()
	}
}

// sample is the value of one series in a scrape ("name{a=\"x\",b=\"y\"}",
// labels in alphabetical order as the exposition writes them), and whether
// the series is there.
func sample(scrape, series string) (float64, bool) {
	for line := range strings.Lines(scrape) {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			var v float64
			if err := json.Unmarshal([]byte(strings.Fields(rest)[0]), &v); err == nil {
				return v, true
			}
		}
	}
	return 0, false
}

func wantSample(t *testing.T, scrape, series string, want float64) {
	t.Helper()
	got, ok := sample(scrape, series)
	switch {
	case !ok:
		t.Errorf("/metrics has no %s", series)
	case got != want:
		t.Errorf("%s = %v, want %v", series, got, want)
	}
}

// headerLog records the trace headers of every request cfsim receives
// (cfsim.Request keeps credentials but not these).
type headerLog struct {
	mu           sync.Mutex
	traceparents []string
}

func (h *headerLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.traceparents = append(h.traceparents, r.Header.Get("traceparent"))
		h.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (h *headerLog) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.traceparents...)
}

// syncBuffer is a log destination written by handler goroutines and read by
// the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes the JSON log lines.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(b.String()))
	for {
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("log is not JSON lines: %v\n%s", err, b.String())
		}
		out = append(out, m)
	}
}

// operations are the request-log lines, one per GraphQL operation.
func (b *syncBuffer) operations(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range b.lines(t) {
		if l["msg"] == "graphql operation" {
			out = append(out, l)
		}
	}
	return out
}
