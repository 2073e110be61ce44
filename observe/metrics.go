package observe

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "gqlfacade"

// Metrics holds the service's Prometheus metrics in a registry of its own
// (with the Go runtime and process collectors), so that tests and several
// servers in one process never collide on the global registry.
//
// Label cardinality is bounded: operation names are those of the parsed
// document (else "anonymous"), at most 100 distinct (then "other"); outcomes
// and codes are the contract's extensions.code values; upstream statuses are
// HTTP status codes, "error" or "canceled".
type Metrics struct {
	reg   *prometheus.Registry
	names *nameCap
	// loaders are named in code, but capped all the same.
	loaders *nameCap

	operations         *prometheus.CounterVec
	operationSeconds   *prometheus.HistogramVec
	operationErrors    *prometheus.CounterVec
	upstreamCallsPerOp *prometheus.HistogramVec

	upstreamRequests *prometheus.CounterVec
	upstreamSeconds  *prometheus.HistogramVec
	upstreamRetries  prometheus.Counter
	filterIgnored    *prometheus.CounterVec

	batchSize *prometheus.HistogramVec
}

// NewMetrics builds the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg:     prometheus.NewRegistry(),
		names:   newNameCap(maxOperationNames),
		loaders: newNameCap(20),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "operations_total",
			Help: "GraphQL operations by operation name and outcome (ok, the extensions.code of its errors, or mixed).",
		}, []string{"operation", "outcome"}),
		operationSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "operation_duration_seconds",
			Help:    "Time from the request's arrival to the operation's response, by operation name.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation"}),
		operationErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "operation_errors_total",
			Help: "GraphQL operations that answered an error with this extensions.code (counted once per operation and code).",
		}, []string{"operation", "code"}),
		upstreamCallsPerOp: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "upstream_calls_per_operation",
			Help:    "Upstream API calls one GraphQL operation made (retries not counted), by operation name.",
			Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 20, 30, 50},
		}, []string{"operation"}),
		upstreamRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "upstream", Name: "requests_total",
			Help: "HTTP requests to the upstream API (every attempt, retries included), by status code, \"error\" when no answer came, or \"canceled\" when every caller waiting for it went away.",
		}, []string{"status"}),
		upstreamSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "upstream", Name: "request_duration_seconds",
			Help:    "Time to the upstream's response headers, per attempt, by status code, \"error\" or \"canceled\".",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"status"}),
		upstreamRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "upstream", Name: "retries_total",
			Help: "Upstream requests that were retries of a failed attempt.",
		}),
		filterIgnored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "upstream", Name: "filter_not_applied_total",
			Help: "Upstream list answers refused because they hold logs the filter on this key excludes (the upstream ignored or misread it).",
		}, []string{"key"}),
		batchSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "dataloader", Name: "batch_size",
			Help:    "Keys per dataloader batch, by loader.",
			Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
		}, []string{"loader"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.operations, m.operationSeconds, m.operationErrors, m.upstreamCallsPerOp,
		m.upstreamRequests, m.upstreamSeconds, m.upstreamRetries, m.filterIgnored,
		m.batchSize,
	)
	return m
}

// Registry is where other packages' metrics belong (e.g. ratebudget's
// Options.Registerer), so that /metrics shows them too.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format
// (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:          m.reg, // counts its own scrape errors
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
	})
}

// BatchSize implements graph.Observer: one observation per loader batch.
func (m *Metrics) BatchSize(loader string, keys int) {
	m.batchSize.WithLabelValues(m.loaders.label(truncate(loader, maxNameLen))).Observe(float64(keys))
}

// FilterNotApplied counts an upstream answer refused because it does not
// hold to the filter on key (one of the upstream's filter keys).
func (m *Metrics) FilterNotApplied(key string) { m.filterIgnored.WithLabelValues(key).Inc() }
