package tail_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestResumeNoGapNoDuplicate: a subscriber that leaves in the middle of a
// millisecond's logs and comes back with the position of the last log it
// read gets exactly the logs it has not seen — the rest of that
// millisecond, the ones that arrived meanwhile (more than a page of them,
// some in the millisecond it left in) — then the live ones.
func TestResumeNoGapNoDuplicate(t *testing.T) {
	for _, company := range []bool{false, true} {
		name := map[bool]string{false: "alone", true: "while another subscriber keeps the poller"}[company]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t, nil)
				if company {
					w.subscribe(tokA, nil)
				}
				s := w.subscribe(tokA, nil)
				batch := w.appendNow(4)
				evs := read(t, s, 2) // leaves after two of the millisecond's four
				s.Close()
				resumeAt := evs[1].Position

				// The rest of that millisecond, two more logs in it among
				// them, is read in one page: oldest first, by id.
				var rest []cfsim.Log
				for _, l := range batch {
					if !resumeAt.Seen(&restclient.Log{ID: l.ID, CreatedAt: l.CreatedAt}) {
						rest = append(rest, l)
					}
				}
				missed := oldestFirst(rest, w.appendAgain(2))
				for range 3 {
					time.Sleep(time.Second)
					missed = append(missed, oldestFirst(w.appendNow(40))...)
				}
				back := w.subscribe(tokA, &resumeAt)
				if got := ids(read(t, back, len(missed))); !slices.Equal(got, missed) {
					t.Fatalf("resumed with %d logs %v…, want %d %v…", len(got), got[:3], len(missed), missed[:3])
				}
				time.Sleep(time.Second)
				live := oldestFirst(w.appendNow(3))
				if got := ids(read(t, back, 3)); !slices.Equal(got, live) {
					t.Fatalf("then live: %v, want %v", got, live)
				}
				quiet(t, back, 2*time.Minute)
			})
		})
	}
}

// TestResumeAtTheLiveEdge: a position taken from the last log a subscriber
// read, with nothing new since, resumes with nothing but the logs that
// come after it.
func TestResumeAtTheLiveEdge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		s := w.subscribe(tokA, nil)
		evs := read(t, s, len(w.appendNow(3)))
		back := w.subscribe(tokA, &evs[2].Position)
		quiet(t, back, time.Minute)
		next := oldestFirst(w.appendNow(2))
		if got := ids(read(t, back, 2)); !slices.Equal(got, next) {
			t.Fatalf("got %v, want %v", got, next)
		}
		if got := ids(read(t, s, 2)); !slices.Equal(got, next) {
			t.Fatalf("the first subscriber got %v, want %v", got, next)
		}
	})
}
