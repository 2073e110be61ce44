package graph

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// batchNow is the way into a loader for keys a resolver holds together (a
// nodes list, sibling fields read ahead): start takes all of them at once
// and makes one batch of those not asked for yet in the request. The
// loader's own batch window (byIDWait) closes on the clock, so on a busy
// machine it can close between two keys that were known together and
// split them into more upstream calls; dataloader has no way to hand it
// several keys at once (its LoadMany loads them one by one), hence this.
//
// The batch's pending results go into the loader's cache, where the
// loader's Load (and Prime, Clear) find them: lookups of the same keys
// share them, whichever way they came.
type batchNow[K comparable, V any] struct {
	mu    sync.Mutex // makes check-then-register one step among starts
	cache dataloader.Cache[K, V]
	fn    dataloader.BatchFunc[K, V]
}

func newBatchNow[K comparable, V any](cache dataloader.Cache[K, V], fn dataloader.BatchFunc[K, V]) *batchNow[K, V] {
	return &batchNow[K, V]{cache: cache, fn: fn}
}

// start begins, without waiting for it, the batch of the keys no lookup of
// this request has asked for yet; Load then finds every key in the cache.
func (b *batchNow[K, V]) start(ctx context.Context, keys []K) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var missing []K
	seen := make(map[K]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, ok := b.cache.Get(ctx, k); !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return
	}
	done := make(chan struct{})
	var results []*dataloader.Result[V]
	for i, k := range missing {
		b.cache.Set(ctx, k, func() (V, error) {
			<-done
			return results[i].Data, results[i].Error
		})
	}
	go func() {
		defer close(done)
		results = b.fn(ctx, missing)
	}()
}
