package ratebudget

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are always built, and registered only when a Registerer is given,
// so the rest of the package never checks for nil.
//
// No metric is labelled by credential: even a hash prefix per caller would
// be unbounded cardinality. How close callers run to their budget shows as
// a distribution instead (tokensRemaining).
type metrics struct {
	tokensRemaining prometheus.Histogram
	waits           prometheus.Counter
	waitSeconds     prometheus.Histogram
	refusals        *prometheus.CounterVec
	pauses          prometheus.Counter
	upstream        prometheus.Counter
	coalesced       prometheus.Counter
	cacheHits       prometheus.Counter
	cacheMisses     prometheus.Counter
	redisFallbacks  prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	const ns = "ratebudget"
	m := &metrics{
		tokensRemaining: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Name: "tokens_remaining",
			Help:    "Tokens left in the credential's bucket after each admitted request (≤ 0: the request had to wait).",
			Buckets: []float64{0, 1, 5, 10, 25, 50, 100, 250, 500, 1000},
		}),
		waits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "waits_total",
			Help: "Requests that waited for a token or for an upstream rate-limit pause to end.",
		}),
		waitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Name: "wait_seconds",
			Help:    "How long requests waited for a token or a pause to end.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "refusals_total",
			Help: "Requests answered with a local 429 instead of calling the upstream, by reason (budget|paused).",
		}, []string{"reason"}),
		pauses: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "upstream_rate_limited_total",
			Help: "Upstream 429 answers, each of which paused its credential.",
		}),
		upstream: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "upstream_requests_total",
			Help: "Requests forwarded to the upstream with a credential (each one spent a token).",
		}),
		coalesced: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "coalesced_total",
			Help: "GET requests answered by an identical concurrent request's upstream call.",
		}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "cache_hits_total",
			Help: "GET requests answered from the response cache.",
		}),
		cacheMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "cache_misses_total",
			Help: "GET requests not found in the response cache.",
		}),
		redisFallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "redis_fallbacks_total",
			Help: "Operations served from memory because Redis failed or was recently failing.",
		}),
	}
	// Pre-create both label values so that dashboards see zeros, not gaps.
	m.refusals.WithLabelValues(string(reasonBudget))
	m.refusals.WithLabelValues(string(reasonPaused))
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{
		m.tokensRemaining, m.waits, m.waitSeconds, m.refusals, m.pauses,
		m.upstream, m.coalesced, m.cacheHits, m.cacheMisses, m.redisFallbacks,
	} {
		errs = append(errs, reg.Register(c))
	}
	return m, errors.Join(errs...)
}
