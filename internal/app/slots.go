package app

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aigw/gqlfacade/graph"
)

// retryAfterSeconds is what a refused client is told to wait: requests
// being served finish within about a second unless the upstream is slow.
const retryAfterSeconds = 1

// slots bounds how many of something (requests being served, streams open)
// the server holds at once. One more is refused at once with 503
// SERVICE_UNAVAILABLE and Retry-After rather than queued: a queue only
// turns overload into timeouts, and a client told to retry can go to
// another replica. Both the refusals and the slots in use are metrics.
type slots struct {
	free     chan struct{}
	rejected prometheus.Counter
	refusal  string
}

// slotMetrics name the two metrics of a slots.
type slotMetrics struct {
	rejectedName, rejectedHelp string // a counter of refusals
	inUseName, inUseHelp       string // a gauge of the slots in use
}

// newSlots makes max slots; full says, in the refusal's message, what the
// server does with all of them, e.g. "is serving as many requests".
func newSlots(max int, full string, reg prometheus.Registerer, m slotMetrics) *slots {
	s := &slots{
		free:    make(chan struct{}, max),
		refusal: fmt.Sprintf("the server %s as it may (%d); retry in %d s", full, max, retryAfterSeconds),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "gqlfacade", Subsystem: "http", Name: m.rejectedName, Help: m.rejectedHelp,
		}),
	}
	inUse := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gqlfacade", Subsystem: "http", Name: m.inUseName, Help: m.inUseHelp,
	}, func() float64 { return float64(len(s.free)) })
	reg.MustRegister(s.rejected, inUse)
	return s
}

// take holds a slot for r and returns its release, or answers r with the
// refusal and returns nil.
func (s *slots) take(w http.ResponseWriter, r *http.Request) (release func()) {
	select {
	case s.free <- struct{}{}:
		return func() { <-s.free }
	default:
		s.rejected.Inc()
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		refused := codedError(graph.CodeServiceUnavailable, s.refusal)
		refused.Extensions["retryAfter"] = retryAfterSeconds
		graph.WriteError(w, r, http.StatusServiceUnavailable, refused)
		return nil
	}
}
