package ratebudget

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/redistest"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/redis/go-redis/v9"
)

// newRedisClient is one replica's client: short timeouts and no retries,
// so that a dead Redis is noticed fast.
func newRedisClient(t *testing.T, r *redistest.Server) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: r.Addr(), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Two replicas on one Redis share one budget: together they never exceed it.
func TestRedisReplicasShareOneBudget(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	sim, base := newSim(t)
	opts := Options{Limit: 10, Burst: 5, Window: time.Hour, KeyPrefix: "t1:"}
	var clients []*restclient.Client
	for range 2 {
		o := opts
		o.Redis = newRedisClient(t, r)
		tr, _ := newTransport(t, o)
		clients = append(clients, newClient(t, base, tr, restclient.Options{}))
	}

	var ok, limited atomic.Int64
	var retryAfter atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_, err := listLogs(context.Background(), clients[i%2], sim, tokA, i+1) // distinct pages: no coalescing
			var rl *restclient.RateLimitError
			switch {
			case err == nil:
				ok.Add(1)
			case errors.As(err, &rl):
				limited.Add(1)
				retryAfter.Store(int64(rl.Err.RetryAfter))
			default:
				t.Errorf("call %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n := sim.RequestCount(); n != 5 {
		t.Fatalf("upstream calls from both replicas = %d, want the burst of 5", n)
	}
	if ok.Load() != 5 || limited.Load() != 15 {
		t.Errorf("ok, limited = %d, %d; want 5, 15", ok.Load(), limited.Load())
	}
	// A token every Window/(Limit−Burst) = 12 minutes.
	within(t, "RetryAfter", time.Duration(retryAfter.Load()), 12*time.Minute-5*time.Second, 12*time.Minute+time.Second)
	// tok-b has a budget of its own, shared as well.
	mustList(t, clients[1], sim, tokB, 1)
}

// A 429 seen by one replica pauses the credential on the other; an answer
// cached by one is a hit on the other.
func TestRedisReplicasSharePausesAndCache(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	sim, base := newSim(t)
	opts := Options{CacheTTL: 5 * time.Second, MaxWait: -1, KeyPrefix: "t2:"}
	var clients []*restclient.Client
	for range 2 {
		o := opts
		o.Redis = newRedisClient(t, r)
		tr, _ := newTransport(t, o)
		clients = append(clients, newClient(t, base, tr, restclient.Options{MaxRetries: -1}))
	}

	mustList(t, clients[0], sim, tokA, 3)
	mustList(t, clients[1], sim, tokA, 3)
	if n := sim.RequestCount(); n != 1 {
		t.Fatalf("upstream calls = %d, want 1 (replica 2 hits replica 1's entry)", n)
	}
	mustList(t, clients[1], sim, tokB, 3) // not tok-a's entry
	if n := sim.RequestCount(); n != 2 {
		t.Fatalf("upstream calls = %d, want 2", n)
	}

	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 3, Times: 1})
	_, err := listLogs(context.Background(), clients[0], sim, tokA, 1)
	rateLimitError(t, err)
	_, err = listLogs(context.Background(), clients[1], sim, tokA, 2)
	within(t, "replica 2's RetryAfter", rateLimitError(t, err).RetryAfter, 2*time.Second, 3*time.Second)
	if n := len(upstreamCalls(sim, "tok-a")); n != 2 {
		t.Fatalf("tok-a upstream calls = %d, want 2 (replica 2 held back by the shared pause)", n)
	}
}

// Redis dying mid-test: both replicas keep answering from memory, the
// fallback metric counts it, the warning is not repeated per request, and
// Redis is used again once it is back.
func TestRedisDownDegradesToMemoryAndRecovers(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	sim, base := newSim(t)
	logs := &lockedBuffer{}
	// The replicas' clock, moved by the test to when Redis is probed again.
	clock := testenv.NewClock(time.Now())
	opts := Options{Limit: 1000, Burst: 100, Window: time.Minute, CacheTTL: time.Second, KeyPrefix: "t3:",
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: clock.Now}
	var trs []*Transport
	var clients []*restclient.Client
	var regsA []func() float64
	for range 2 {
		o := opts
		o.Redis = newRedisClient(t, r)
		tr, reg := newTransport(t, o)
		trs = append(trs, tr)
		clients = append(clients, newClient(t, base, tr, restclient.Options{}))
		regsA = append(regsA, func() float64 { return metric(t, reg, "ratebudget_redis_fallbacks_total") })
	}
	probe := newRedisClient(t, r)
	k, _ := credentialKey(http.Header{"Authorization": {"Bearer tok-a"}})
	bucketKey := "t3:bucket:" + string(k)

	mustList(t, clients[0], sim, tokA, 1)
	if n := probe.Exists(context.Background(), bucketKey).Val(); n != 1 {
		t.Fatalf("bucket key in Redis: %d, want 1", n)
	}

	r.Stop()
	start := time.Now()
	for i := range 20 {
		mustList(t, clients[i%2], sim, tokA, i+2)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("20 calls with Redis down took %v", d)
	}
	for i, f := range regsA {
		if f() == 0 {
			t.Errorf("replica %d: redis_fallbacks_total = 0", i+1)
		}
	}
	if n := strings.Count(logs.String(), "redis unavailable"); n < 1 || n > 2 {
		t.Errorf("%d 'redis unavailable' warnings for 20 calls on 2 replicas, want one per replica at most", n)
	}

	r.Start()
	before := regsA[0]()
	// Once the retry interval has passed, a call starts a probe of Redis in
	// the background (and goes on from memory); the next call after a
	// successful probe uses Redis. Distinct pages: no call is a cache hit.
	for attempt := 0; probe.Exists(context.Background(), bucketKey).Val() != 1; attempt++ {
		if attempt == 5 {
			t.Fatal("replica 1 did not go back to Redis")
		}
		clock.Advance(redisRetryEvery)
		mustList(t, clients[0], sim, tokA, 100+attempt)
		trs[0].guard.probes.Wait()
	}
	after := regsA[0]()
	mustList(t, clients[0], sim, tokA, 51)
	if got := regsA[0](); got != after {
		t.Errorf("fallbacks still counted once Redis is back: %v → %v", after, got)
	}
	if after-before > 10 {
		t.Errorf("fallbacks while Redis came back: %v", after-before)
	}
	if !strings.Contains(logs.String(), "redis is back") {
		t.Error("no 'redis is back' log line")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
