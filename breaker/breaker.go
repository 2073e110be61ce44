// Package breaker stops calling an upstream that keeps failing.
//
// restclient retries a failed call up to three times, so during a storm of
// 5xx or 429 answers every call becomes four, and the retries land on an
// upstream that is already struggling (or, for 429, counting us). A circuit
// per upstream host and credential counts consecutive failures; at
// Options.Failures it opens, and for Options.Cooldown every call with that
// credential to that host is refused at once, without touching the network,
// with an *OpenError that says what the upstream last answered. Then one
// call goes through as a probe (half-open): if the upstream answers, the
// circuit closes; if not, it opens for another cool-down.
//
// What counts:
//   - failures: HTTP 429, HTTP 5xx other than 501 (the answers restclient
//     retries), and calls that got no answer (connection refused or reset,
//     TLS or header timeouts);
//   - successes: every other answer, 4xx included (the upstream is up and
//     answering; a 401 is the caller's problem, not the upstream's);
//   - neither: calls that never reached the upstream (answered from the
//     rate budget's cache or by an identical concurrent call, or refused by
//     the budget), and calls their own caller gave up on (a cancelled or
//     expired context says nothing about the upstream).
//
// Wiring: Gate goes above the rate budget, so that a refusal spends no token
// and no retry (restclient does not retry an error marked
// backoff.Permanent); Record goes under it, directly above the metrics
// transport, so that it sees each real exchange exactly once (a coalesced
// answer shared by many callers is one outcome, not many):
//
//	tracing → Gate → ratebudget → Record → metrics → network
//
// While a circuit is closed, at most Failures + (calls in flight − 1)
// calls can fail before it opens: the calls already sent when the last
// failure arrives still finish. After that, one call per cool-down.
//
// Circuits live in an LRU of Options.MaxKeys; a circuit evicted while open
// starts again closed. Requests without a credential pass unguarded, as the
// rate budget passes them: the upstream refuses them (401) anyway.
package breaker

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// Defaults for zero Options fields.
const (
	DefaultFailures = 5
	DefaultCooldown = 30 * time.Second
	DefaultMaxKeys  = 10_000
)

// Options configure Breakers. Zero values select the defaults.
type Options struct {
	// Failures in a row that open a circuit. 0 → 5.
	Failures int
	// Cooldown: how long an open circuit refuses before it lets a probe
	// through. 0 → 30s.
	Cooldown time.Duration
	// MaxKeys bounds the circuits kept (one per host and credential). 0 → 10,000.
	MaxKeys int
	// Logger for circuits opening and closing. nil → slog.Default().
	Logger *slog.Logger
	// Registerer receives the metrics. nil → not registered.
	Registerer prometheus.Registerer
}

// Breakers holds one circuit per upstream host and credential. It is safe
// for concurrent use.
type Breakers struct {
	opts Options
	m    *metrics

	mu       sync.Mutex
	circuits *simplelru.LRU[string, *circuit]
}

// New validates opts and registers the metrics.
func New(opts Options) (*Breakers, error) {
	if opts.Failures < 0 || opts.Cooldown < 0 || opts.MaxKeys < 0 {
		return nil, fmt.Errorf("breaker: Failures, Cooldown and MaxKeys must not be negative")
	}
	if opts.Failures == 0 {
		opts.Failures = DefaultFailures
	}
	if opts.Cooldown == 0 {
		opts.Cooldown = DefaultCooldown
	}
	if opts.MaxKeys == 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("breaker: registering metrics: %w", err)
	}
	lru, err := simplelru.NewLRU[string, *circuit](opts.MaxKeys, nil)
	if err != nil {
		return nil, err
	}
	return &Breakers{opts: opts, m: m, circuits: lru}, nil
}

// circuit is one host and credential's breaker, and what it last saw fail.
type circuit struct {
	cb       *gobreaker.TwoStepCircuitBreaker[struct{}]
	cooldown time.Duration
	// lastStatus is the HTTP status of the latest failure, 0 when no
	// answer came: a refusal stands for that answer.
	lastStatus atomic.Int32
	// openedAt (UnixNano) is when the circuit last opened, for the
	// cool-down left. gobreaker keeps its own deadline but does not tell it.
	openedAt atomic.Int64
}

func (b *Breakers) circuit(host, cred string) *circuit {
	key := host + " " + cred
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.circuits.Get(key); ok {
		return c
	}
	c := &circuit{cooldown: b.opts.Cooldown}
	failures := uint32(b.opts.Failures)
	log := b.opts.Logger.With("host", host, "credential_hash", cred[:min(12, len(cred))])
	c.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		MaxRequests: 1, // one probe when half-open
		Timeout:     b.opts.Cooldown,
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= failures },
		IsExcluded:  func(err error) bool { return err == errNeutral },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			b.m.transitions.WithLabelValues(stateLabel(to)).Inc()
			switch to {
			case gobreaker.StateOpen:
				c.openedAt.Store(time.Now().UnixNano())
				log.Warn("breaker: the upstream keeps failing; refusing calls for this credential",
					"last_status", c.lastStatus.Load(), "cooldown", b.opts.Cooldown, "from", from.String())
			case gobreaker.StateClosed:
				log.Info("breaker: the upstream answers again")
			}
		},
	})
	b.circuits.Add(key, c)
	return c
}

func stateLabel(s gobreaker.State) string {
	switch s {
	case gobreaker.StateOpen:
		return "open"
	case gobreaker.StateHalfOpen:
		return "half_open"
	default:
		return "closed"
	}
}
