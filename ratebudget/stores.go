package ratebudget

import (
	"context"
	"time"
)

// The three stores (bucket, pause, cache), each through the Redis guard:
// Redis when configured and working, memory otherwise.

func (t *Transport) reserve(ctx context.Context, key credKey, maxWait time.Duration) grant {
	return viaRedis(ctx, t.guard, "bucket",
		func(ctx context.Context) (grant, error) { return t.rBucket.reserve(ctx, key, maxWait) },
		func() grant { g, _ := t.bucket.reserve(ctx, key, maxWait); return g })
}

func (t *Transport) pausedFor(ctx context.Context, key credKey) time.Duration {
	return viaRedis(ctx, t.guard, "pause",
		func(ctx context.Context) (time.Duration, error) { return t.rPause.pausedFor(ctx, key) },
		func() time.Duration { d, _ := t.pauses.pausedFor(ctx, key); return d })
}

// setPause always records the pause in memory too: should Redis fail
// later, this replica at least still honours what it saw.
func (t *Transport) setPause(ctx context.Context, key credKey, d time.Duration) {
	_ = t.pauses.pause(ctx, key, d)
	viaRedis(ctx, t.guard, "pause",
		func(ctx context.Context) (struct{}, error) { return struct{}{}, t.rPause.pause(ctx, key, d) },
		func() struct{} { return struct{}{} })
}

func (t *Transport) cacheGet(ctx context.Context, key string) (*snapshot, bool) {
	type hit struct {
		s  *snapshot
		ok bool
	}
	h := viaRedis(ctx, t.guard, "cache",
		func(ctx context.Context) (hit, error) { s, ok, err := t.rCache.get(ctx, key); return hit{s, ok}, err },
		func() hit { s, ok, _ := t.cache.get(ctx, key); return hit{s, ok} })
	return h.s, h.ok
}

func (t *Transport) cachePut(ctx context.Context, key string, s *snapshot) {
	viaRedis(ctx, t.guard, "cache",
		func(ctx context.Context) (struct{}, error) { return struct{}{}, t.rCache.put(ctx, key, s) },
		func() struct{} { _ = t.cache.put(ctx, key, s); return struct{}{} })
}
