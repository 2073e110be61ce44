package observe

// RecordOperation counts one GraphQL operation by name and outcome, times
// it, and counts each of its error codes and the upstream calls it made.
// The GraphQL layer calls it for every operation, refused ones included.
func (m *Metrics) RecordOperation(op Operation) {
	name := m.names.label(op.name())
	codes := op.codes()
	m.operations.WithLabelValues(name, outcome(codes)).Inc()
	for _, c := range codes {
		m.operationErrors.WithLabelValues(name, c).Inc()
	}
	m.operationSeconds.WithLabelValues(name).Observe(op.duration().Seconds())
	m.upstreamCallsPerOp.WithLabelValues(name).Observe(float64(op.UpstreamCalls))
}
