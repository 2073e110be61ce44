package ratebudget

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// grant is a bucket's answer to "may this credential send one request within
// maxWait?".
type grant struct {
	// ok: a token is reserved; the request may go after delay.
	// !ok: nothing was taken; delay is how long until a token would be free.
	ok    bool
	delay time.Duration
	// remaining is the token count after the decision (negative when tokens
	// are already promised to waiting requests). For metrics only.
	remaining float64
	// cancel gives a reserved token back, for a caller that gave up while
	// waiting for it. Set when ok.
	cancel func()
}

// bucket is a token bucket per credential. The in-memory and the Redis
// implementation answer the same way, so the transport can fall back from
// one to the other without changing behaviour.
type bucket interface {
	reserve(ctx context.Context, key credKey, maxWait time.Duration) (grant, error)
	// level is the tokens key has now, refill included; it takes none.
	level(ctx context.Context, key credKey) (float64, error)
}

// sweepEvery bounds how often idle limiters are dropped.
const sweepEvery = time.Minute

// memBucket keeps one rate.Limiter per credential.
//
// Callers bring arbitrary credentials, so the map must not grow forever: a
// limiter whose bucket is full is indistinguishable from a fresh one, and is
// dropped by a sweep that runs lazily (no goroutine to stop) at most once a
// minute.
type memBucket struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	// mu guards lims, and is held across a reservation so that a sweep can
	// never drop a limiter that someone is about to reserve on (which would
	// hand out a token twice).
	mu        sync.Mutex
	lims      map[credKey]*rate.Limiter
	lastSweep time.Time
}

func newMemBucket(limit rate.Limit, burst int, now func() time.Time) *memBucket {
	return &memBucket{limit: limit, burst: burst, now: now, lims: map[credKey]*rate.Limiter{}, lastSweep: now()}
}

func (b *memBucket) reserve(_ context.Context, key credKey, maxWait time.Duration) (grant, error) {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
	lim := b.lims[key]
	if lim == nil {
		lim = rate.NewLimiter(b.limit, b.burst)
		b.lims[key] = lim
	}
	r := lim.ReserveN(now, 1) // burst ≥ 1, so always OK
	d := r.DelayFrom(now)
	if d > maxWait {
		// Too late for this caller: undo, so that a refusal costs no token.
		r.CancelAt(now)
		return grant{delay: d, remaining: lim.TokensAt(now)}, nil
	}
	return grant{ok: true, delay: d, remaining: lim.TokensAt(now), cancel: r.Cancel}, nil
}

func (b *memBucket) sweepLocked(now time.Time) {
	if now.Sub(b.lastSweep) < sweepEvery {
		return
	}
	b.lastSweep = now
	for k, lim := range b.lims {
		if lim.TokensAt(now) >= float64(b.burst) {
			delete(b.lims, k)
		}
	}
}
