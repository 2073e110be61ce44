package observe

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Transport wraps base (nil: http.DefaultTransport) to count every upstream
// attempt by status, time it to the response headers, and count the
// attempts isRetry (nil: none) says are retries — the client that retries
// knows, and can mark its requests. Place it directly above the network
// transport — under the client and under any rate-limiting transport — so
// it counts what really reached the upstream.
func (m *Metrics) Transport(base http.RoundTripper, isRetry func(*http.Request) bool) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if isRetry == nil {
		isRetry = func(*http.Request) bool { return false }
	}
	return &metricsTransport{m: m, base: base, isRetry: isRetry}
}

type metricsTransport struct {
	m       *Metrics
	base    http.RoundTripper
	isRetry func(*http.Request) bool
}

func (t *metricsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.isRetry(req) {
		t.m.upstreamRetries.Inc()
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	status := "error"
	switch {
	case err == nil:
		status = statusLabel(resp.StatusCode)
	case errors.Is(context.Cause(req.Context()), context.Canceled):
		// Every caller waiting for this call went away: not an upstream
		// failure. A deadline that passed is one, and stays "error" — also
		// when the caller's deadline cancelled a shared call (the cause
		// says so).
		status = "canceled"
	}
	t.m.upstreamRequests.WithLabelValues(status).Inc()
	t.m.upstreamSeconds.WithLabelValues(status).Observe(time.Since(start).Seconds())
	return resp, err
}

// CloseIdleConnections forwards to base, so that
// http.Client.CloseIdleConnections still works through this transport.
func (t *metricsTransport) CloseIdleConnections() { closeIdle(t.base) }

func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// statusLabel keeps the label within HTTP's status range.
func statusLabel(code int) string {
	if code < 100 || code > 599 {
		return "invalid"
	}
	return strconv.Itoa(code)
}
