package tail_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// TestSlowSubscriberDropped: a subscriber that does not read is ended with
// ErrSlowSubscriber once its queue is full, and the others carry on with
// every log.
func TestSlowSubscriberDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, func(o *tail.Options) { o.QueueSize = 4 })
		slow, fast := w.subscribe(tokA, nil), w.subscribe(tokA, nil)
		var want []string
		for range 3 {
			want = append(want, oldestFirst(w.appendNow(2))...)
			if got := ids(read(t, fast, 2)); !slices.Equal(got, want[len(want)-2:]) {
				t.Fatalf("the fast subscriber got %v, want %v", got, want[len(want)-2:])
			}
		}
		if _, err := slow.Next(t.Context()); !errors.Is(err, tail.ErrSlowSubscriber) {
			t.Fatalf("the slow subscriber: %v, want ErrSlowSubscriber", err)
		}
		more := oldestFirst(w.appendNow(3))
		if got := ids(read(t, fast, 3)); !slices.Equal(got, more) {
			t.Fatalf("the fast subscriber got %v after the slow one left, want %v", got, more)
		}
	})
}

// TestRateLimitPausesAndTells: a 429 is told to every subscriber as a
// notice, the poller waits what Retry-After asks, and the subscription
// goes on with the logs that arrived meanwhile.
func TestRateLimitPausesAndTells(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		s := w.subscribe(tokA, nil)
		w.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 40})
		start := time.Now()
		ev, err := s.Next(t.Context())
		if err != nil || !restclient.IsRateLimited(ev.Notice) {
			t.Fatalf("got %+v, %v; want a rate-limit notice", ev, err)
		}
		calls := w.polls.count()
		want := oldestFirst(w.appendNow(2))
		if got := ids(read(t, s, 2)); !slices.Equal(got, want) {
			t.Fatalf("after the 429: %v, want %v", got, want)
		}
		if waited := time.Since(start); waited < 40*time.Second || w.polls.count() != calls+1 {
			t.Fatalf("the logs came %s after the 429 with %d calls; want one call after Retry-After's 40 s", waited, w.polls.count()-calls)
		}
	})
}

// TestUnauthenticatedEnds: a credential the upstream refuses ends the
// subscription with the upstream's error, after one call.
func TestUnauthenticatedEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		s := w.subscribe(restclient.Credentials{Token: "revoked"}, nil)
		_, err := s.Next(t.Context())
		if !restclient.IsAuth(err) {
			t.Fatalf("got %v, want the upstream's refusal of the credential", err)
		}
		synctest.Wait()
		if _, pollers := w.hub.Stats(); pollers != 0 || w.polls.count() != 1 {
			t.Fatalf("%d pollers left, %d calls; want none, 1", pollers, w.polls.count())
		}
	})
}

// TestVanishedGatewayEnds: a gateway deleted while subscribers listen ends
// their subscriptions with NOT_FOUND, after the logs it had.
func TestVanishedGatewayEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		s := w.subscribe(tokA, nil)
		want := oldestFirst(w.appendNow(2))
		time.Sleep(3 * time.Second)
		w.sim.DeleteGateway(gw)
		if got := ids(read(t, s, 2)); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if _, err := s.Next(t.Context()); !restclient.IsNotFound(err) {
			t.Fatalf("got %v, want NOT_FOUND", err)
		}
	})
}

// TestShutdownEndsEverything: closing the hub ends every subscription with
// ErrShutdown, refuses new ones, and stops every poller.
func TestShutdownEndsEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		a, b := w.subscribe(tokA, nil), w.subscribe(tokB, nil)
		time.Sleep(time.Minute)
		w.hub.Close()
		for _, s := range []*tail.Subscription{a, b} {
			if _, err := s.Next(t.Context()); !errors.Is(err, tail.ErrShutdown) {
				t.Fatalf("got %v, want ErrShutdown", err)
			}
		}
		if _, err := w.hub.Subscribe(tail.Query{Creds: tokA, AccountID: w.sim.AccountID(), GatewayID: gw}, nil); !errors.Is(err, tail.ErrShutdown) {
			t.Fatalf("a subscription after the shutdown: %v", err)
		}
		// A call a poller sent just before Close may reach the simulated
		// upstream (and be counted there) after Close returned: count once
		// everything in the bubble has settled, then no call may follow.
		synctest.Wait()
		calls := w.polls.count()
		time.Sleep(10 * time.Minute)
		if w.polls.count() != calls {
			t.Fatal("a poller called after the shutdown")
		}
	})
}

// TestPerCredentialLimit: a credential holds at most MaxPerCredential
// subscriptions; another credential is not affected, and a subscription
// that ends frees its place.
func TestPerCredentialLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, func(o *tail.Options) { o.MaxPerCredential = 2 })
		q := tail.Query{Creds: tokA, AccountID: w.sim.AccountID(), GatewayID: gw}
		a := w.subscribe(tokA, nil)
		w.subscribe(tokA, nil)
		var tooMany *tail.TooManyError
		if _, err := w.hub.Subscribe(q, nil); !errors.As(err, &tooMany) || tooMany.Limit != 2 {
			t.Fatalf("a third subscription: %v, want TooManyError{2}", err)
		}
		w.subscribe(tokB, nil)
		a.Close()
		w.subscribe(tokA, nil)
	})
}

// TestPacerGatesEveryCall: no call is made until the pacer lets it.
func TestPacerGatesEveryCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := make(pacer)
		w := newWorld(t, func(o *tail.Options) { o.Pacer = gate })
		s := w.subscribe(tokA, nil)
		want := oldestFirst(w.appendNow(1))
		time.Sleep(10 * time.Minute)
		if n := w.polls.count(); n != 0 {
			t.Fatalf("%d calls before the pacer allowed one", n)
		}
		gate <- struct{}{}
		if got := ids(read(t, s, 1)); !slices.Equal(got, want) || w.polls.count() != 1 {
			t.Fatalf("got %v after %d calls, want %v after 1", got, w.polls.count(), want)
		}
	})
}

// pacer lets one call through per value sent on it.
type pacer chan struct{}

func (p pacer) Wait(ctx context.Context, _ restclient.Credentials) error {
	select {
	case <-p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
