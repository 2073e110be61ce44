package ratebudget

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

var (
	tokA = restclient.Credentials{Token: "tok-a"}
	tokB = restclient.Credentials{Token: "tok-b"}
)

// simOptions is the cfsim of these tests: it accepts tok-a and tok-b.
var simOptions = cfsim.Options{Tokens: []string{"tok-a", "tok-b"}, LogsPerGateway: 200}

// newSim serves a cfsim that accepts tok-a and tok-b on loopback.
func newSim(t *testing.T) (*cfsim.Server, string) {
	t.Helper()
	return testenv.Upstream(t, simOptions)
}

// newTransport wraps restclient's tuned transport, as the server does, and
// registers the metrics in a registry of its own.
func newTransport(t *testing.T, opts Options) (*Transport, *prometheus.Registry) {
	t.Helper()
	return newTransportOver(t, restclient.NewHTTPClient(0).Transport, opts)
}

// newPipedTransport is newSim and newTransport for a test inside a
// testing/synctest bubble: the cfsim is served on an in-memory network
// (testenv.Pipe), so that waits (pauses, refills, latency, retries) take
// no real time. Call it inside the bubble.
func newPipedTransport(t *testing.T, opts Options) (*cfsim.Server, string, *Transport, *prometheus.Registry) {
	t.Helper()
	sim := cfsim.New(simOptions)
	tr, reg := newTransportOver(t, testenv.Pipe(t, sim), opts)
	return sim, testenv.PipeHost + testenv.APIPath, tr, reg
}

func newTransportOver(t *testing.T, base http.RoundTripper, opts Options) (*Transport, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	opts.Registerer = reg
	tr, err := NewTransport(base, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	return tr, reg
}

// countingRT counts what reaches the ratebudget transport (restclient's
// attempts, retries included).
type countingRT struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// newClient is a real restclient whose HTTP client goes through rt.
func newClient(t *testing.T, baseURL string, rt http.RoundTripper, opts restclient.Options) *restclient.Client {
	t.Helper()
	opts.HTTPClient = &http.Client{Transport: rt}
	return testenv.Client(t, baseURL, opts)
}

func listLogs(ctx context.Context, c *restclient.Client, sim *cfsim.Server, creds restclient.Credentials, page int) (*restclient.LogPage, error) {
	return c.ListLogs(ctx, creds, sim.AccountID(), "prod-chat", restclient.ListLogsParams{Page: page, PerPage: 5})
}

func mustList(t *testing.T, c *restclient.Client, sim *cfsim.Server, creds restclient.Credentials, page int) *restclient.LogPage {
	t.Helper()
	p, err := listLogs(context.Background(), c, sim, creds, page)
	if err != nil {
		t.Fatalf("ListLogs(page %d): %v", page, err)
	}
	return p
}

// rateLimitError is the upstream answer inside err, which must be a
// *restclient.RateLimitError.
func rateLimitError(t *testing.T, err error) *restclient.Error {
	t.Helper()
	var rl *restclient.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("got %v, want *restclient.RateLimitError", err)
	}
	return &rl.Err
}

// upstreamCalls counts the requests cfsim received with the token.
func upstreamCalls(sim *cfsim.Server, token string) []cfsim.Request {
	var out []cfsim.Request
	for _, r := range sim.Requests() {
		if r.Authorization == "Bearer "+token {
			out = append(out, r)
		}
	}
	return out
}

// metric reads a counter's value or a histogram's sample count; labels are
// name, value pairs.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if !hasLabels(m, labels) {
				continue
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			}
		}
	}
	t.Fatalf("metric %s%v not found", name, labels)
	return 0
}

func hasLabels(m *dto.Metric, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == pairs[i] && l.GetValue() == pairs[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func within(t *testing.T, what string, got, lo, hi time.Duration) {
	t.Helper()
	if got < lo || got > hi {
		t.Errorf("%s = %v, want within [%v, %v]", what, got, lo, hi)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
