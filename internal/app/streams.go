package app

import (
	"net/http"

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
	streams := newSlots(max, "holds as many streams", reg, slotMetrics{
		rejectedName: "streams_rejected_total",
		rejectedHelp: "WebSocket and event-stream requests answered 503 SERVICE_UNAVAILABLE because -max-streams were open.",
		inUseName:    "streams_open",
		inUseHelp:    "WebSockets and event streams open on /query, at most -max-streams.",
	})
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			release := streams.take(w, r)
			if release == nil {
				return
			}
			defer release()
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
