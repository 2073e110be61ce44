package ratebudget

import (
	"context"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// WaitForHeadroom returns once a background call with the credential of h
// (its Authorization or X-Auth-Email/X-Auth-Key headers) may spend a token
// and still leave half of the bucket to the requests of the same budget,
// or returns ctx's error. It waits out a 429 pause, and a window the
// upstream says has no more than that half left, the same way. It takes
// nothing: the call itself spends its token as any call does, and can
// still never overdraw the budget; this only keeps background work (the
// live tail's pollers) from crowding out the requests people wait for. A
// header without a credential is never budgeted, so it does not wait.
func (t *Transport) WaitForHeadroom(ctx context.Context, h http.Header) error {
	key, ok := credentialKey(h)
	if !ok {
		return ctx.Err()
	}
	key = t.budgetKey(key)
	need := float64(t.burst/2 + 1)
	for {
		now := t.now()
		var d time.Duration
		if p, _ := t.pauses.pausedFor(ctx, key); p > 0 {
			d = p
		} else if r := t.left.lowUntil(key, int(need), now); r > 0 {
			d = r
		} else if level, _ := t.bucket.level(ctx, key); level < need {
			d = time.Duration((need - level) / t.refill * float64(time.Second))
		} else {
			return ctx.Err()
		}
		if err := t.sleepFor(ctx, max(d, time.Millisecond)); err != nil {
			return err
		}
	}
}

// level of the in-memory bucket: a credential without a limiter has a
// full one.
func (b *memBucket) level(_ context.Context, key credKey) (float64, error) {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if lim := b.lims[key]; lim != nil {
		return lim.TokensAt(now), nil
	}
	return float64(b.burst), nil
}

// bucketLevelScript reads a shared bucket's tokens after its refill,
// changing nothing (see tokenBucketScript).
var bucketLevelScript = redis.NewScript(`
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local st = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(st[1])
local ts = tonumber(st[2])
if tokens == nil or ts == nil then
  return tostring(burst)
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
end
return tostring(tokens)
`)

func (b *redisBucket) level(ctx context.Context, key credKey) (float64, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.opTimeout)
	defer cancel()
	return bucketLevelScript.Run(ctx, b.client, []string{b.key(key)}, b.perMilli, b.burst).Float64()
}

func (b guardedBucket) level(ctx context.Context, key credKey) (float64, error) {
	return viaRedis(ctx, b.guard, "bucket",
		func(ctx context.Context) (float64, error) { return b.redis.level(ctx, key) },
		func() float64 { l, _ := b.mem.level(ctx, key); return l }), nil
}

// lowUntil returns how long until the upstream's window resets when the
// upstream said no more than want calls are left of it, else 0.
func (u *upstreamLeft) lowUntil(key credKey, want int, now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	s, ok := u.state[key]
	if !ok || !now.Before(s.resetAt) || s.left >= want {
		return 0
	}
	return s.resetAt.Sub(now)
}
