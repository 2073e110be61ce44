package breaker

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are always built, and registered only when a Registerer is given.
// Like the rate budget's, none is labelled by credential.
type metrics struct {
	refusals    *prometheus.CounterVec
	transitions *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	const ns = "breaker"
	m := &metrics{
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "refusals_total",
			Help: "Upstream calls refused by an open circuit, never sent (not in gqlfacade_upstream_requests_total), by the failure they stand for (server_error|rate_limited|unreachable).",
		}, []string{"class"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "transitions_total",
			Help: "Circuits (one per upstream host and credential) changing state, by the state entered (open|half_open|closed).",
		}, []string{"to"}),
	}
	// Pre-create every label value so that dashboards see zeros, not gaps.
	for _, c := range []string{"server_error", "rate_limited", "unreachable"} {
		m.refusals.WithLabelValues(c)
	}
	for _, s := range []string{"open", "half_open", "closed"} {
		m.transitions.WithLabelValues(s)
	}
	if reg == nil {
		return m, nil
	}
	return m, errors.Join(reg.Register(m.refusals), reg.Register(m.transitions))
}
