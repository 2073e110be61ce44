package tail_test

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/tail"
)

// callsOver is how many upstream calls n subscribers of one gateway cause
// over ten minutes in which logs arrive now and then, and what each of
// them received.
func callsOver(t *testing.T, n int) (calls int, got [][]string) {
	var readers []*tail.Subscription
	var calls0 int
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		readers = readers[:0]
		for range n {
			readers = append(readers, w.subscribe(tokA, nil))
		}
		calls0 = w.polls.count()
		var want int
		for minute := range 10 {
			if minute%3 == 0 {
				want += len(w.appendNow(2))
			}
			time.Sleep(time.Minute)
		}
		calls = w.polls.count() - calls0
		for _, s := range readers {
			got = append(got, ids(read(t, s, want)))
		}
		if _, pollers := w.hub.Stats(); pollers != 1 {
			t.Errorf("%d pollers for %d subscribers of one query, want 1", pollers, n)
		}
	})
	return calls, got
}

// TestHundredSubscribersOnePoller: 100 subscribers of one gateway cost
// the upstream exactly the calls one subscriber costs, and each gets
// every log.
func TestHundredSubscribersOnePoller(t *testing.T) {
	one, gotOne := callsOver(t, 1)
	hundred, gotHundred := callsOver(t, 100)
	t.Logf("upstream calls over 10 minutes: %d for 1 subscriber, %d for 100", one, hundred)
	if one == 0 || hundred != one {
		t.Fatalf("100 subscribers made %d upstream calls, one made %d: want the same", hundred, one)
	}
	for i, got := range gotHundred {
		if !slices.Equal(got, gotOne[0]) {
			t.Fatalf("subscriber %d got %v, the lone one %v", i, got, gotOne[0])
		}
	}
}

// TestCredentialsNeverSharePoller: two credentials reading one gateway get
// a poller each, and each poller calls with its own credential only.
func TestCredentialsNeverSharePoller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		a, b := w.subscribe(tokA, nil), w.subscribe(tokB, nil)
		if _, pollers := w.hub.Stats(); pollers != 2 {
			t.Fatalf("%d pollers for two credentials, want 2", pollers)
		}
		want := oldestFirst(w.appendNow(2))
		if got := ids(read(t, a, 2)); !slices.Equal(got, want) {
			t.Fatalf("tok-a got %v, want %v", got, want)
		}
		if got := ids(read(t, b, 2)); !slices.Equal(got, want) {
			t.Fatalf("tok-b got %v, want %v", got, want)
		}
		var sawA, sawB int
		for _, auth := range w.polls.credentials() {
			switch auth {
			case "Bearer tok-a":
				sawA++
			case "Bearer tok-b":
				sawB++
			default:
				t.Fatalf("a call with %q", auth)
			}
		}
		if sawA == 0 || sawB == 0 || sawA != sawB {
			t.Fatalf("calls: %d with tok-a, %d with tok-b; want the same number, each its own", sawA, sawB)
		}
	})
}

// TestPollerStopsWithLastSubscriber: the poller runs while anyone
// listens, and makes no call once the last subscriber has left.
func TestPollerStopsWithLastSubscriber(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		a, b := w.subscribe(tokA, nil), w.subscribe(tokA, nil)
		time.Sleep(time.Minute)
		a.Close()
		before := w.polls.count()
		time.Sleep(time.Minute)
		if w.polls.count() == before {
			t.Fatal("the poller stopped while a subscriber was left")
		}
		b.Close()
		synctest.Wait()
		if subs, pollers := w.hub.Stats(); subs != 0 || pollers != 0 {
			t.Fatalf("after the last subscriber left: %d subscriptions, %d pollers", subs, pollers)
		}
		before = w.polls.count()
		time.Sleep(10 * time.Minute)
		if n := w.polls.count() - before; n != 0 {
			t.Fatalf("%d upstream calls after the last subscriber left", n)
		}
	})
}

// TestIntervalAdapts: the poller polls every MinInterval while logs
// arrive, doubles its interval towards MaxInterval while none do, comes
// back to MinInterval as soon as one does, and reads a full page's
// successor at once.
func TestIntervalAdapts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, func(o *tail.Options) { o.MinInterval, o.MaxInterval = 2*time.Second, 30*time.Second })
		s := w.subscribe(tokA, nil)
		time.Sleep(89 * time.Second) // quiet; polls at 2, 6, 14, 30, 60 and 90 s
		w.appendNow(1)
		read(t, s, 1)
		w.appendNow(60) // more than a page
		read(t, s, 60)
		var got []string
		for _, g := range w.polls.gaps() {
			got = append(got, g.String())
		}
		// Quiet: 4 8 16 30 30 (the log is found at 90 s); then 2 s, when
		// a full page of 50 is read, and its successor at once.
		want := "4s 8s 16s 30s 30s 2s 0s"
		if gotS := strings.Join(got, " "); gotS != want {
			t.Fatalf("gaps between polls: %s, want %s", gotS, want)
		}
	})
}
