package observe

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// WatchUpstream exports gqlfacade_upstream_reachable: 1 while reachable
// (e.g. UpstreamReachable's check, whose results are reused for a second)
// passes, else 0, evaluated at each scrape. It is the upstream's state that
// /readyz reports without being decided by it. Call it once per Metrics.
func (m *Metrics) WatchUpstream(reachable func(context.Context) error) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "upstream", Name: "reachable",
		Help: "1 when the upstream host (or the proxy to it) accepts a TCP connection, else 0; checked at scrape time, at most once a second.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
		defer cancel()
		if reachable(ctx) != nil {
			return 0
		}
		return 1
	}))
}
