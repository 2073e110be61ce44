package observe

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// Transport wraps base (nil: http.DefaultTransport) to count every upstream
// attempt by status, time it to the response headers, and count retries
// (restclient marks each attempt's number in the request context). Place it
// directly above the network transport — under restclient and under any
// rate-limiting transport — so it counts what really reached the upstream.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &metricsTransport{m: m, base: base}
}

type metricsTransport struct {
	m    *Metrics
	base http.RoundTripper
}

func (t *metricsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if restclient.Attempt(req.Context()) > 1 {
		t.m.upstreamRetries.Inc()
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	status := "error"
	switch {
	case err == nil:
		status = statusLabel(resp.StatusCode)
	case errors.Is(req.Context().Err(), context.Canceled):
		// Every caller waiting for this call went away: not an upstream
		// failure. A deadline that passed is one, and stays "error".
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
