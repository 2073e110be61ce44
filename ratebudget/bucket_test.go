package ratebudget

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/aigw/gqlfacade/internal/redistest"
)

// Both buckets must answer alike, or falling back from Redis to memory
// would change behaviour.
func TestBucketsAgree(t *testing.T) {
	t.Parallel()
	const perSecond = 10.0 // a token every 100ms
	impls := map[string]func(t *testing.T) bucket{
		"memory": func(*testing.T) bucket { return newMemBucket(rate.Limit(perSecond), 2, time.Now) },
		"redis": func(t *testing.T) bucket {
			r := redistest.Start(t)
			return &redisBucket{client: newRedisClient(t, r), prefix: "b:", perMilli: perSecond / 1000,
				burst: 2, opTimeout: time.Second}
		},
	}
	for name, mk := range impls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := mk(t)
			ctx := context.Background()
			take := func(maxWait time.Duration) grant {
				t.Helper()
				g, err := b.reserve(ctx, "k", maxWait)
				if err != nil {
					t.Fatal(err)
				}
				return g
			}
			for i := range 2 {
				if g := take(0); !g.ok || g.delay != 0 {
					t.Fatalf("take %d of the burst: %+v", i+1, g)
				}
			}
			g := take(0)
			if g.ok {
				t.Fatal("an empty bucket granted a token without waiting")
			}
			within(t, "refusal delay", g.delay, 50*time.Millisecond, 101*time.Millisecond)

			g = take(time.Second) // reserved ahead: wait ≈ 100ms
			if !g.ok {
				t.Fatalf("not granted within 1s: %+v", g)
			}
			within(t, "reserved delay", g.delay, 50*time.Millisecond, 101*time.Millisecond)
			g.cancel() // given back: the next one waits ≈ 100ms, not 200ms
			g = take(time.Second)
			within(t, "delay after a refund", g.delay, 50*time.Millisecond, 101*time.Millisecond)
			if _, err := b.reserve(ctx, "other", 0); err != nil {
				t.Fatal(err)
			}
			if g := take(0); g.ok { // "k" is still empty: keys are independent
				t.Fatalf("granted: %+v", g)
			}
		})
	}
}
