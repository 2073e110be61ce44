package graph

import "context"

// Observer receives what the graph layer counts, for metrics. The zero
// Resolver has none; observe.Metrics implements it.
type Observer interface {
	// BatchSize is called once per loader batch with the number of keys.
	BatchSize(loader string, keys int)
}

type noObserver struct{}

func (noObserver) BatchSize(string, int) {}

// UpstreamCalls reports how many upstream calls the request in ctx has made
// so far (0 outside a request), or an operation on a stream in all of its
// responses; the request log and metrics read it when the operation ends.
func UpstreamCalls(ctx context.Context) int {
	switch l := ctx.Value(loadersKey{}).(type) {
	case *Loaders:
		return int(l.calls.Load())
	case *lazyLoaders:
		if l.l != nil {
			return int(l.l.calls.Load())
		}
		return 0
	}
	if c, _ := ctx.Value(streamCallsKey{}).(*streamCalls); c != nil {
		return int(c.n.Load())
	}
	return 0
}
