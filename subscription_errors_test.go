package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// errorEvent reads the next message of id: an event that stands for an
// error, with data null, the cursor to resume from, and the error's code.
func (c *ws) errorEvent(id string) (code string, r result) {
	c.t.Helper()
	r = c.event(id)
	if len(r.Errors) != 1 || r.Data != nil || r.cursor() == "" {
		c.t.Fatalf("got %+v, want one error, no data, a cursor", r)
	}
	return r.Errors[0].code(), r
}

// TestRateLimitIsToldAndTheSubscriptionGoesOn: a 429 reaches every
// subscriber as an event with RATE_LIMITED and retryAfter; the
// subscription stays open and goes on after the pause.
func TestRateLimitIsToldAndTheSubscriptionGoesOn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		c := l.connect(nil)
		c.subscribe("1", logAddedQuery, nil)
		synctest.Wait()
		l.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 20}) // longer than restclient retries after
		code, r := c.errorEvent("1")
		if code != "RATE_LIMITED" || r.Errors[0].Extensions["retryAfter"] != float64(20) {
			t.Fatalf("got %+v, want RATE_LIMITED with retryAfter 20", r.Errors[0])
		}
		want := inOrder(l.appendNow("prod-chat", 1))[0]
		if got := c.event("1").logID(t); got != want {
			t.Fatalf("after the pause: %s, want %s", got, want)
		}
	})
}

// TestSubscriptionEnds: a credential the upstream refuses ends the
// subscription with UNAUTHENTICATED, a gateway deleted meanwhile with
// NOT_FOUND; each as a last event, then complete.
func TestSubscriptionEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		c := l.connect(map[string]any{"Authorization": "Bearer revoked-token"})
		c.subscribe("1", logAddedQuery, nil)
		if code, _ := c.errorEvent("1"); code != "UNAUTHENTICATED" {
			t.Fatalf("a refused credential: %s, want UNAUTHENTICATED", code)
		}
		if m := c.next(); m.Type != "complete" || m.ID != "1" {
			t.Fatalf("after the last event: %+v, want complete", m)
		}

		ok := l.connect(nil)
		ok.subscribe("2", strings.Replace(logAddedQuery, "prod-chat", "staging", 1), nil)
		synctest.Wait()
		l.sim.DeleteGateway("staging")
		if code, _ := ok.errorEvent("2"); code != "NOT_FOUND" {
			t.Fatalf("a deleted gateway: %s, want NOT_FOUND", code)
		}
		if m := ok.next(); m.Type != "complete" {
			t.Fatalf("after the last event: %+v, want complete", m)
		}
	})
}

// TestSlowSubscriberIsEnded: a client that does not take its events ends
// with SLOW_SUBSCRIBER and the cursor of the last log it got, once more
// than its queue waits for it, while another subscriber of the same poller
// gets every log.
func TestSlowSubscriberIsEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.Streams.Queue = 50 })
		slow, fast := l.connect(nil), l.connect(nil)
		slow.subscribe("s", logAddedQuery, nil)
		fast.subscribe("f", logAddedQuery, nil)
		synctest.Wait()
		var want []string
		for range 3 { // 120 logs, 40 a poll
			batch := inOrder(l.appendNow("prod-chat", 40))
			for _, id := range batch {
				if got := fast.event("f").logID(t); got != id {
					t.Fatalf("the fast subscriber's log %d: %s, want %s", len(want), got, id)
				}
				want = append(want, id)
			}
			time.Sleep(time.Second) // the next batch is another poll's
		}
		// slow has read nothing (for less than the write timeout, after
		// which a client that reads nothing is disconnected): what was on
		// its way arrives, then the end, before the 50 queued, with the
		// cursor of the last log it got.
		var got []string
		var end result
		for {
			r := slow.event("s")
			if len(r.Errors) > 0 {
				end = r
				break
			}
			got = append(got, r.logID(t))
		}
		if code := end.Errors[0].code(); code != "SLOW_SUBSCRIBER" || len(got) >= len(want) {
			t.Fatalf("the slow subscriber ended with %s after %d of %d logs", code, len(got), len(want))
		}
		back := l.connect(nil)
		back.subscribe("r", logAddedQuery, map[string]any{"after": end.cursor()})
		for i := len(got); i < len(want); i++ {
			if id := back.event("r").logID(t); id != want[i] {
				t.Fatalf("resumed from the end's cursor, log %d: %s, want %s", i, id, want[i])
			}
		}
	})
}

// TestHundredSubscribersOneUpstreamPoll: a hundred subscriptions of one
// gateway with one credential cost the upstream what one does, each gets
// every log; another credential has a poller of its own.
func TestHundredSubscribersOneUpstreamPoll(t *testing.T) {
	calls := func(n int) float64 {
		var got float64
		synctest.Test(t, func(t *testing.T) {
			l := newLive(t, cfsim.Options{Tokens: []string{"tok-b"}}, func(c *app.Config) {
				c.Streams.MaxPerCredential, c.Streams.MaxOpsPerConnection = 100, 100
			})
			c := l.connect(nil)
			for i := range n {
				c.subscribe(fmt.Sprint(i), logAddedQuery, nil)
			}
			other := l.connect(map[string]any{"Authorization": "Bearer tok-b"})
			other.subscribe("b", logAddedQuery, nil)
			synctest.Wait()
			if p := l.metric("gqlfacade_tail_pollers"); p != 2 {
				t.Fatalf("%v pollers for one query of two credentials, want 2", p)
			}
			before := l.sim.RequestCount()
			want := inOrder(l.appendNow("prod-chat", 2))
			seen := map[string]int{}
			for range 2 * n {
				m := c.next()
				var r result
				_ = json.Unmarshal(m.Payload, &r)
				seen[m.ID+"/"+r.logID(t)]++
			}
			for i := range n {
				for _, id := range want {
					if seen[fmt.Sprint(i)+"/"+id] != 1 {
						t.Fatalf("subscriber %d got log %s %d times", i, id, seen[fmt.Sprint(i)+"/"+id])
					}
				}
			}
			time.Sleep(5 * time.Minute)
			got = float64(l.sim.RequestCount() - before)
		})
		return got
	}
	one, hundred := calls(1), calls(100)
	t.Logf("upstream calls in 5 minutes (both credentials): %v with 1 subscriber, %v with 100", one, hundred)
	if one == 0 || hundred != one {
		t.Fatalf("100 subscribers made %v upstream calls, 1 made %v", hundred, one)
	}
}

// TestSubscriptionsPerCredential: a credential holds at most
// -max-subscriptions-per-credential subscriptions, over any connections;
// one more is refused with QUERY_TOO_EXPENSIVE before anything runs.
func TestSubscriptionsPerCredential(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.Streams.MaxPerCredential = 2 })
		a, b := l.connect(nil), l.connect(nil)
		a.subscribe("1", logAddedQuery, nil)
		b.subscribe("1", logAddedQuery, nil)
		synctest.Wait()
		a.subscribe("2", logAddedQuery, nil)
		r := a.event("2")
		if len(r.Errors) != 1 || r.Errors[0].code() != "QUERY_TOO_EXPENSIVE" || r.Errors[0].Extensions["maxSubscriptions"] != float64(2) {
			t.Fatalf("a third subscription: %+v, want QUERY_TOO_EXPENSIVE with maxSubscriptions 2", r)
		}
	})
}
