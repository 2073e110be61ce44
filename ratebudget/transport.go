// Package ratebudget keeps the facade inside Cloudflare's API rate limit.
//
// Cloudflare allows 1200 requests per 5 minutes per token; one request more
// and every call with that token gets 429 for the next 5 minutes. Transport
// is an http.RoundTripper placed under restclient: that layer sees every real
// upstream request, retries included, with its credential headers. It
//
//   - spends a token per upstream request from a bucket per credential, and
//     when the bucket is empty waits (if the request's deadline allows) or
//     answers a local 429 without calling the upstream;
//   - pauses a credential for every caller when the upstream answers 429;
//   - coalesces concurrent identical GETs of one credential into one call;
//   - optionally caches 200 answers for a short TTL;
//   - with Redis, shares budgets, pauses and cache between replicas, and
//     falls back to memory (never to failing requests) while Redis is
//     unavailable.
//
// Coalescing is per process. Replicas sharing a Redis must use the same
// Limit, Window and Burst. While Redis is down each replica spends its own
// in-memory budget, so N replicas may then spend up to N budgets.
//
// Wiring: wrap the *http.Client's transport that restclient uses, e.g.
//
//	hc := restclient.NewHTTPClient(0)
//	rt, err := ratebudget.NewTransport(hc.Transport, ratebudget.Options{...})
//	hc.Transport = rt
//	client, err := restclient.New(restclient.Options{HTTPClient: hc})
package ratebudget

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/aigw/gqlfacade/internal/timex"
)

// Defaults for zero Options fields.
const (
	DefaultLimit         = 1200
	DefaultWindow        = 5 * time.Minute
	DefaultBurst         = 100
	DefaultMaxWait       = 10 * time.Second
	DefaultCacheMaxBytes = 32 << 20
	DefaultKeyPrefix     = "gqlfacade:ratebudget:"
)

// CacheHeader is set to "hit" on answers served from the response cache.
const CacheHeader = "X-Ratebudget-Cache"

// ErrClosed is returned by RoundTrip after Close.
var ErrClosed = errors.New("ratebudget: transport closed")

// Options configure a Transport. Zero values select the defaults.
type Options struct {
	// Limit requests per Window per credential: the upstream's limit.
	// 0 → 1200. It must exceed Burst, unless both are 1.
	Limit int
	// Window of the limit. 0 → 5 minutes.
	Window time.Duration
	// Burst is the bucket's capacity: how many requests may go at once after
	// a quiet spell. 0 → min(100, Limit/12) (at least 1).
	//
	// The bucket refills at (Limit−Burst)/Window, not Limit/Window: a bucket
	// that starts full lets Burst + rate×Window requests through in one
	// Window, and only this rate keeps that within Limit. At the defaults
	// that is 1100 per 5 minutes sustained, plus bursts of 100. Limit 1
	// leaves no rate (Burst is at least 1): its one token comes back a
	// millisecond after a full Window instead, see refillPerSecond.
	Burst int
	// MaxWait caps the wait for a token (or for an upstream pause to end)
	// when the request's context has no deadline; with a deadline, the
	// deadline decides. 0 → 10s; negative → never wait, refuse at once.
	MaxWait time.Duration
	// CacheTTL > 0 turns on the response cache (200 answers to GETs, per
	// credential and URL). 0 → off.
	CacheTTL time.Duration
	// CacheMaxBytes bounds the cached bytes (in memory; in Redis, it bounds
	// one entry). 0 → 32 MiB.
	CacheMaxBytes int
	// Redis, when set, holds buckets, pauses and cached answers, so that
	// replicas share one budget per credential. nil → all in memory.
	Redis redis.UniversalClient
	// KeyPrefix of every Redis key. "" → DefaultKeyPrefix.
	KeyPrefix string
	// Logger for pauses and Redis trouble. nil → slog.Default().
	Logger *slog.Logger
	// Registerer receives the metrics. nil → not registered.
	Registerer prometheus.Registerer
	// Now is the clock of the in-memory buckets, pauses and cache (Redis
	// keeps its own time). nil → time.Now; tests inject one.
	Now func() time.Time
	// Scope says what one budget covers: each credential its own (the
	// default), or the whole service one. Cloudflare counts per user,
	// across every token of that user and the dashboard: a service whose
	// callers are one user's tokens should share one budget. Coalescing and
	// the cache stay per credential whatever the scope.
	Scope Scope
}

// Scope is what one budget (bucket and pauses) covers.
type Scope string

const (
	ScopeCredential Scope = "credential" // one budget per credential (the default)
	ScopeService    Scope = "service"    // one budget for every credential together
)

// serviceKey is the one budget key of ScopeService.
const serviceKey credKey = "service"

// Transport is the rate-budget middleware. It is safe for concurrent use.
type Transport struct {
	base    http.RoundTripper
	maxWait time.Duration
	log     *slog.Logger
	m       *metrics

	// One store per concern, chosen by NewTransport: in memory, or in Redis
	// with memory to fall back on (stores.go). None of them fails, so their
	// errors are not checked.
	bucket    bucket
	pauses    pauser
	cache     responseCache // nil: cache off
	guard     *redisGuard   // nil without Redis
	flights   coalescer
	left      upstreamLeft // what the upstream says is left, per budget key
	scope     Scope
	burst     int     // the bucket's capacity
	refill    float64 // tokens per second
	closed    atomic.Bool
	bodySizes bodySizes // the guess of an answer's size when its length is not sent
	now       func() time.Time
	sleepFor  func(context.Context, time.Duration) error
}

// NewTransport wraps base (nil → http.DefaultTransport).
func NewTransport(base http.RoundTripper, opts Options) (*Transport, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("ratebudget: registering metrics: %w", err)
	}
	t := &Transport{
		scope:    opts.Scope,
		base:     base,
		maxWait:  opts.MaxWait,
		log:      opts.Logger,
		m:        m,
		now:      time.Now,
		sleepFor: timex.Sleep,
	}
	if opts.Now != nil {
		t.now = opts.Now
	}
	perSecond := opts.refillPerSecond()
	t.burst, t.refill = opts.Burst, perSecond
	t.bucket = newMemBucket(rate.Limit(perSecond), opts.Burst, t.clock)
	t.pauses = newMemPause(t.clock)
	if opts.CacheTTL > 0 {
		t.cache = newMemCache(opts.CacheTTL, opts.CacheMaxBytes, t.clock)
	}
	if opts.Redis != nil {
		g := &redisGuard{log: opts.Logger, fallbacks: m.redisFallbacks.Inc, now: t.clock,
			retryEvery: redisRetryEvery, ping: func(ctx context.Context) error { return opts.Redis.Ping(ctx).Err() }}
		t.guard = g
		t.bucket = guardedBucket{guard: g, mem: t.bucket, redis: &redisBucket{
			client: opts.Redis, prefix: opts.KeyPrefix, perMilli: perSecond / 1000, burst: opts.Burst,
			opTimeout: redisOpTimeout, refundFailed: func(error) { g.markDown() },
		}}
		t.pauses = guardedPause{guard: g, mem: t.pauses,
			redis: &redisPause{client: opts.Redis, prefix: opts.KeyPrefix, opTimeout: redisOpTimeout}}
		if t.cache != nil {
			t.cache = guardedCache{guard: g, mem: t.cache, redis: &redisCache{client: opts.Redis, prefix: opts.KeyPrefix,
				ttl: opts.CacheTTL, maxBytes: opts.CacheMaxBytes, opTimeout: redisOpTimeout}}
		}
	}
	return t, nil
}

func (o *Options) defaults() error {
	switch {
	case o.Limit < 0, o.Window < 0, o.Burst < 0, o.CacheTTL < 0, o.CacheMaxBytes < 0:
		return errors.New("ratebudget: Limit, Window, Burst, CacheTTL and CacheMaxBytes must not be negative")
	}
	if o.Limit == 0 {
		o.Limit = DefaultLimit
	}
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.Burst == 0 {
		o.Burst = max(1, min(DefaultBurst, o.Limit/12))
	}
	if o.Burst >= o.Limit && (o.Limit > 1 || o.Burst > 1) {
		return fmt.Errorf("ratebudget: Burst (%d) must be below Limit (%d): the bucket refills at (Limit−Burst)/Window", o.Burst, o.Limit)
	}
	if o.MaxWait == 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.CacheMaxBytes == 0 {
		o.CacheMaxBytes = DefaultCacheMaxBytes
	}
	if o.KeyPrefix == "" {
		o.KeyPrefix = DefaultKeyPrefix
	}
	switch o.Scope {
	case "":
		o.Scope = ScopeCredential
	case ScopeCredential, ScopeService:
	default:
		return fmt.Errorf("ratebudget: Scope %q: want %q or %q", o.Scope, ScopeCredential, ScopeService)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}

// refillPerSecond is the bucket's refill rate: (Limit−Burst)/Window keeps
// every window of length Window within Limit (see Burst). With Limit 1 (so
// Burst 1) that rate is 0, a budget of one call ever; instead the token
// comes back one millisecond (the Redis bucket's resolution) after a full
// Window, so that two calls are always more than a Window apart and no
// window, ends included, holds two.
func (o *Options) refillPerSecond() float64 {
	if o.Limit == 1 {
		return 1 / (o.Window + time.Millisecond).Seconds()
	}
	return float64(o.Limit-o.Burst) / o.Window.Seconds()
}

// clock indirects t.now so tests may replace it after construction.
func (t *Transport) clock() time.Time { return t.now() }

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.closed.Load() {
		closeRequestBody(req)
		return nil, ErrClosed
	}
	key, ok := credentialKey(req.Header)
	if !ok {
		return t.base.RoundTrip(req) // unbudgeted: see credentialKey
	}
	if req.Method != http.MethodGet {
		return t.send(req, key)
	}
	return t.get(req, key)
}

// budgetKey is the key of the budget (bucket, pauses, what the upstream
// says is left) that a credential's calls spend.
func (t *Transport) budgetKey(key credKey) credKey {
	if t.scope == ScopeService {
		return serviceKey
	}
	return key
}

// get serves a GET from the cache, or from one upstream call shared by every
// identical concurrent GET of the same credential.
func (t *Transport) get(req *http.Request, key credKey) (*http.Response, error) {
	ctx := req.Context()
	url := req.URL.String()
	var ck string
	if t.cache != nil {
		ck = cacheKey(key, url)
		if s, hit, _ := t.cache.get(ctx, ck); hit {
			t.m.cacheHits.Inc()
			return s.response(req, CacheHeader, "hit"), nil
		}
		t.m.cacheMisses.Inc()
	}
	snap, shared, err := t.flights.do(ctx, http.MethodGet+" "+url+" "+string(key), func(fctx context.Context) (*snapshot, error) {
		resp, err := t.send(req.WithContext(fctx), key)
		if err != nil {
			return nil, err
		}
		refused := resp.Header.Get(RefusedHeader) != ""
		s, err := readSnapshot(resp, &t.bodySizes)
		if err != nil {
			return nil, err
		}
		if t.cache != nil && s.Status == http.StatusOK && !refused && !s.truncated {
			_ = t.cache.put(fctx, ck, s)
		}
		return s, nil
	})
	if err != nil {
		return nil, err
	}
	if shared {
		t.m.coalesced.Inc()
	}
	return snap.response(req), nil
}

// send spends a token and calls the upstream, or refuses locally.
func (t *Transport) send(req *http.Request, cred credKey) (*http.Response, error) {
	ctx := req.Context()
	key := t.budgetKey(cred)
	ref, err := t.admit(ctx, key)
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}
	if ref != nil {
		closeRequestBody(req)
		t.m.refusals.WithLabelValues(string(ref.reason)).Inc()
		return refusal(req, ref.reason, ref.wait), nil
	}
	t.m.upstream.Inc()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.left.observe(key, resp.Header, t.now())
	if resp.StatusCode == http.StatusTooManyRequests {
		// Our count and the upstream's disagree (other clients of the same
		// token, the dashboard, another deployment): believe the upstream,
		// for every caller of this credential.
		d := upstreamPause(resp.Header, t.now())
		_ = t.pauses.pause(ctx, key, d)
		t.m.pauses.Inc()
		t.log.Warn("ratebudget: upstream answered 429; pausing the credential",
			"credential_hash", key.short(), "pause", d)
	}
	return resp, nil
}

// Close makes later RoundTrips fail with ErrClosed and closes the base
// transport's idle connections, after waiting for a Redis probe that may be
// running. It does not close Options.Redis, which belongs to the caller.
// Requests in flight finish normally.
func (t *Transport) Close() error {
	t.closed.Store(true)
	if t.guard != nil {
		t.guard.wait()
	}
	t.CloseIdleConnections()
	return nil
}

// CloseIdleConnections passes through to the base transport, so that
// http.Client.CloseIdleConnections keeps working through this middleware.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
