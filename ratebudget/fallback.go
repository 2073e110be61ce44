package ratebudget

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

const (
	// redisOpTimeout bounds one Redis command: a hung Redis must cost a
	// request at most this much before the request falls back to memory.
	redisOpTimeout = 500 * time.Millisecond
	// redisRetryEvery is how often a down Redis is probed.
	redisRetryEvery = 2 * time.Second
	// warnEvery rate-limits the warning while Redis stays down.
	warnEvery = 30 * time.Second
)

// redisGuard decides, per operation, whether to use Redis or memory.
//
// Redis failing must never fail a request: the operation is served from
// memory instead, with a warning (once per warnEvery, not per request) and
// a metric. While Redis is down no request touches it (each would first
// wait for it to fail): every retryEvery, the next request starts a ping in
// the background (and itself goes on from memory); the first successful
// ping puts Redis back in use.
type redisGuard struct {
	log        *slog.Logger
	fallbacks  func()
	now        func() time.Time
	retryEvery time.Duration
	ping       func(context.Context) error

	mu         sync.Mutex
	down       bool
	probing    bool
	closed     bool
	retryAt    time.Time // while down: when to probe again
	lastWarn   time.Time
	suppressed int // fallbacks since the last warning
	downSince  time.Time
	probes     sync.WaitGroup
}

// usable reports whether Redis should be tried now. When it should not, the
// caller is about to fall back, which is counted.
func (g *redisGuard) usable() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.down {
		return true
	}
	if !g.probing && !g.closed && !g.now().Before(g.retryAt) {
		g.probing = true
		g.probes.Add(1)
		go g.probe()
	}
	g.fellBackLocked("skipped", nil)
	return false
}

func (g *redisGuard) probe() {
	defer g.probes.Done()
	ctx, cancel := context.WithTimeout(context.Background(), redisOpTimeout)
	err := g.ping(ctx)
	cancel()
	if err != nil {
		g.markDown()
	} else {
		g.succeeded()
	}
	g.mu.Lock()
	g.probing = false
	g.mu.Unlock()
}

// wait lets Close return only once no probe is running, and starts no more.
func (g *redisGuard) wait() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.probes.Wait()
}

// failed records a failed Redis operation; the caller falls back.
func (g *redisGuard) failed(op string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.markDownLocked()
	g.fellBackLocked(op, err)
}

// markDown records a failure that served no request (a probe, a token
// given back): nothing fell back, so nothing is counted or logged.
func (g *redisGuard) markDown() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.markDownLocked()
}

func (g *redisGuard) markDownLocked() {
	now := g.now()
	if !g.down {
		g.down, g.downSince = true, now
	}
	g.retryAt = now.Add(g.retryEvery)
}

// succeeded records a working Redis.
func (g *redisGuard) succeeded() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.down {
		return
	}
	g.log.Info("ratebudget: redis is back; budgets, pauses and cache are shared again",
		"down_for", g.now().Sub(g.downSince).Round(time.Millisecond))
	g.down, g.suppressed, g.lastWarn = false, 0, time.Time{}
}

func (g *redisGuard) fellBackLocked(op string, err error) {
	g.fallbacks()
	g.suppressed++
	now := g.now()
	if now.Sub(g.lastWarn) < warnEvery {
		return
	}
	args := []any{"op", op, "fallbacks", g.suppressed, "retry_in", g.retryEvery}
	if err != nil {
		args = append(args, "err", err)
	}
	g.log.Warn("ratebudget: redis unavailable; using per-replica memory (the budget is no longer shared)", args...)
	g.lastWarn, g.suppressed = now, 0
}

// viaRedis runs op on Redis when it is usable, else (or when op fails)
// returns inMemory's answer. It is the only place that decides.
func viaRedis[T any](ctx context.Context, g *redisGuard, name string, op func(context.Context) (T, error), inMemory func() T) T {
	if g != nil && g.usable() {
		v, err := op(ctx)
		if err == nil {
			g.succeeded()
			return v
		}
		g.failed(name, err)
	}
	return inMemory()
}
