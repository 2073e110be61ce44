package ratebudget

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/aigw/gqlfacade/internal/httpx"
)

const (
	// noHintPause is how long a credential is paused after a 429 that gave no
	// Retry-After: long enough not to hammer an upstream that is counting
	// us, short enough that a transient 429 does not become an outage.
	noHintPause = 10 * time.Second
	// maxPause clamps absurd hints. Cloudflare's lockout lasts 5 minutes.
	maxPause = time.Hour
)

// pauser remembers, per credential, until when the upstream asked us to stay
// away. Every caller of that credential honours it; other credentials are
// unaffected.
type pauser interface {
	// pausedFor returns how much of a pause is left, 0 if none.
	pausedFor(ctx context.Context, key credKey) (time.Duration, error)
	// pause extends (never shortens) the credential's pause to d from now.
	pause(ctx context.Context, key credKey, d time.Duration) error
}

// memPause keeps pauses in a map. Entries exist only for credentials that
// were rate-limited, and expired ones are dropped on the way.
type memPause struct {
	now   func() time.Time
	mu    sync.Mutex
	until map[credKey]time.Time
}

func newMemPause(now func() time.Time) *memPause {
	return &memPause{now: now, until: map[credKey]time.Time{}}
}

func (p *memPause) pausedFor(_ context.Context, key credKey) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u, ok := p.until[key]
	if !ok {
		return 0, nil
	}
	d := u.Sub(p.now())
	if d <= 0 {
		delete(p.until, key)
		return 0, nil
	}
	return d, nil
}

func (p *memPause) pause(_ context.Context, key credKey, d time.Duration) error {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := now.Add(d); u.After(p.until[key]) {
		p.until[key] = u
	}
	for k, u := range p.until {
		if !u.After(now) {
			delete(p.until, k)
		}
	}
	return nil
}

// extendPauseScript sets the pause key unless a longer pause is already
// there: two replicas seeing 429s with different hints keep the longer one.
var extendPauseScript = redis.NewScript(`
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
`)

// redisPause is a key per paused credential whose TTL is the pause: it
// vanishes by itself, and every replica sees it.
type redisPause struct {
	client    redis.UniversalClient
	prefix    string
	opTimeout time.Duration
}

func (p *redisPause) key(k credKey) string { return p.prefix + "pause:" + string(k) }

func (p *redisPause) pausedFor(ctx context.Context, key credKey) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opTimeout)
	defer cancel()
	d, err := p.client.PTTL(ctx, p.key(key)).Result()
	if err != nil {
		return 0, err
	}
	// -2 (no key) and -1 (no TTL, which this package never sets) are not pauses.
	return max(d, 0), nil
}

func (p *redisPause) pause(ctx context.Context, key credKey, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opTimeout)
	defer cancel()
	ms := max(d.Milliseconds(), 1)
	err := extendPauseScript.Run(ctx, p.client, []string{p.key(key)}, ms).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}

// upstreamPause is how long the upstream asked us to wait after a 429,
// read as restclient reads it, so that the pause and the caller's own retry
// agree.
func upstreamPause(h http.Header, now time.Time) time.Duration {
	d := httpx.RetryAfter(h, now)
	if d <= 0 {
		d = noHintPause
	}
	return min(d, maxPause)
}
