package tail_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/tail"
)

// TestOrderAndExactlyOnce: logs appended while a subscriber listens reach
// it oldest first and each once — several in one millisecond, and more
// logs arriving in a millisecond the poller has already read — and
// nothing that existed before it subscribed does.
func TestOrderAndExactlyOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		w.appendNow(2) // before the subscription: never delivered
		time.Sleep(time.Millisecond)
		s := w.subscribe(tokA, nil)

		first := w.appendNow(3) // three logs in one millisecond
		got := ids(read(t, s, 3))
		if want := oldestFirst(first); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		// Two more in the millisecond already read, after the poll that
		// read it, then one a second later.
		late := w.appendAgain(2)
		time.Sleep(time.Second)
		next := w.appendNow(1)
		got = ids(read(t, s, 3))
		if want := append(oldestFirst(late), oldestFirst(next)...); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		quiet(t, s, 2*time.Minute)
	})
}

// TestManySubscribersEachGetEverything: every subscriber of one poller
// gets every log once, in one order, each with the position right after
// its log.
func TestManySubscribersEachGetEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		readers := []*tail.Subscription{w.subscribe(tokA, nil), w.subscribe(tokA, nil), w.subscribe(tokA, nil)}
		var want []string
		for round := range 4 {
			want = append(want, oldestFirst(w.appendNow(round+1))...)
			time.Sleep(3 * time.Second) // the next append is read by another poll
		}
		for i, s := range readers {
			evs := read(t, s, len(want))
			if got := ids(evs); !slices.Equal(got, want) {
				t.Errorf("subscriber %d got %v, want %v", i, got, want)
			}
			for j, ev := range evs {
				if !ev.Position.Seen(ev.Log) || (j+1 < len(evs) && ev.Position.Seen(evs[j+1].Log)) {
					t.Fatalf("subscriber %d: the position after log %d does not stand right after it", i, j)
				}
			}
			quiet(t, s, time.Minute)
		}
	})
}
