package app

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aigw/gqlfacade/graph"
)

// limitStreams holds at most max streams open at once (WebSockets and
// event streams on /query; graph.IsStream) and answers one more with 503
// SERVICE_UNAVAILABLE and Retry-After at once. A stream lives as long as
// its subscriptions, so it takes none of -max-in-flight's places, which
// bound requests that end within a deadline; the subscriptions it carries
// are bounded per credential and per connection besides.
func limitStreams(max int, reg prometheus.Registerer) func(http.Handler) http.Handler {
	slots := make(chan struct{}, max)
	rejected := prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: "gqlfacade", Subsystem: "http", Name: "streams_rejected_total",
		Help: "WebSocket and event-stream requests answered 503 SERVICE_UNAVAILABLE because -max-streams were open.",
	})
	open := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gqlfacade", Subsystem: "http", Name: "streams_open",
		Help: "WebSockets and event streams open on /query, at most -max-streams.",
	}, func() float64 { return float64(len(slots)) })
	reg.MustRegister(rejected, open)
	refusal := fmt.Sprintf("the server holds as many streams as it may (%d); retry in %d s", max, retryAfterSeconds)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case slots <- struct{}{}:
			default:
				rejected.Inc()
				w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
				refused := codedError(graph.CodeServiceUnavailable, refusal)
				refused.Extensions["retryAfter"] = retryAfterSeconds
				graph.WriteError(w, r, http.StatusServiceUnavailable, refused)
				return
			}
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		})
	}
}

// forStreams routes the streams (graph.IsStream) through streams and every
// other request through requests.
func forStreams(streams, requests func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		s, q := streams(next), requests(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if graph.IsStream(r) {
				s.ServeHTTP(w, r)
				return
			}
			q.ServeHTTP(w, r)
		})
	}
}

// unlessStream applies mw to requests only; streams pass straight on.
func unlessStream(mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return forStreams(func(h http.Handler) http.Handler { return h }, mw)
}
