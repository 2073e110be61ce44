package ratebudget

import (
	"context"
	"time"
)

// With Redis, each of the three stores (bucket, pause, cache) is one of the
// guarded types below: Redis when the guard lets it and it answers, memory
// otherwise. Like the memory stores, they never return an error.

type guardedBucket struct {
	guard      *redisGuard
	redis, mem bucket
}

func (b guardedBucket) reserve(ctx context.Context, key credKey, maxWait time.Duration) (grant, error) {
	return viaRedis(ctx, b.guard, "bucket",
		func(ctx context.Context) (grant, error) { return b.redis.reserve(ctx, key, maxWait) },
		func() grant { g, _ := b.mem.reserve(ctx, key, maxWait); return g }), nil
}

type guardedPause struct {
	guard      *redisGuard
	redis, mem pauser
}

func (p guardedPause) pausedFor(ctx context.Context, key credKey) (time.Duration, error) {
	return viaRedis(ctx, p.guard, "pause",
		func(ctx context.Context) (time.Duration, error) { return p.redis.pausedFor(ctx, key) },
		func() time.Duration { d, _ := p.mem.pausedFor(ctx, key); return d }), nil
}

// pause always records the pause in memory too: should Redis fail later,
// this replica at least still honours what it saw.
func (p guardedPause) pause(ctx context.Context, key credKey, d time.Duration) error {
	_ = p.mem.pause(ctx, key, d)
	viaRedis(ctx, p.guard, "pause",
		func(ctx context.Context) (struct{}, error) { return struct{}{}, p.redis.pause(ctx, key, d) },
		func() struct{} { return struct{}{} })
	return nil
}

type guardedCache struct {
	guard      *redisGuard
	redis, mem responseCache
}

func (c guardedCache) get(ctx context.Context, key string) (*snapshot, bool, error) {
	type hit struct {
		s  *snapshot
		ok bool
	}
	h := viaRedis(ctx, c.guard, "cache",
		func(ctx context.Context) (hit, error) { s, ok, err := c.redis.get(ctx, key); return hit{s, ok}, err },
		func() hit { s, ok, _ := c.mem.get(ctx, key); return hit{s, ok} })
	return h.s, h.ok, nil
}

func (c guardedCache) put(ctx context.Context, key string, s *snapshot) error {
	viaRedis(ctx, c.guard, "cache",
		func(ctx context.Context) (struct{}, error) { return struct{}{}, c.redis.put(ctx, key, s) },
		func() struct{} { _ = c.mem.put(ctx, key, s); return struct{}{} })
	return nil
}
