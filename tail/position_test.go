package tail_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// TestPosition: a position has seen what was created before its instant
// and the ids it holds at its instant; moving past a log keeps the ids of
// its millisecond, sorted, and starts afresh at a later one.
func TestPosition(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 123_456_789, time.UTC)
	at := func(d time.Duration, id string) *restclient.Log {
		return &restclient.Log{ID: id, CreatedAt: t0.Add(d)}
	}
	p := tail.Start(t0)
	if !p.At.Equal(t0.Truncate(time.Millisecond)) || p.Seen(at(0, "a")) || !p.Seen(at(-time.Millisecond, "a")) {
		t.Fatalf("Start(t0) = %+v: it must have seen what came before t0's millisecond, and nothing of it", p)
	}
	p = p.After(at(0, "c")).After(at(0, "a")).After(at(0, "a"))
	if want := []string{"a", "c"}; !slices.Equal(p.IDs, want) || !p.Seen(at(0, "c")) || p.Seen(at(0, "b")) {
		t.Fatalf("after c, a, a: %+v, want ids %v and b unseen", p, want)
	}
	if q := p.After(at(-time.Millisecond, "z")); !q.Equal(p) {
		t.Fatalf("moving past an older log changed the position: %+v", q)
	}
	q := p.After(at(2*time.Millisecond, "b"))
	if !q.At.Equal(p.At.Add(2*time.Millisecond)) || !slices.Equal(q.IDs, []string{"b"}) || !q.Seen(at(0, "b")) {
		t.Fatalf("after a later log: %+v", q)
	}
	if !p.Later(q).Equal(q) || !q.Later(p).Equal(q) || !p.Later(tail.Start(t0)).Equal(p) {
		t.Fatal("Later does not pick the position that has seen more")
	}
	if !slices.Equal(p.IDs, []string{"a", "c"}) {
		t.Fatalf("After changed the position it was called on: %+v", p)
	}
	a := tail.Start(t0).After(at(0, "a"))
	if !p.Covers(a) || a.Covers(p) || !q.Covers(p) || p.Covers(q) || !p.Covers(p) {
		t.Fatal("Covers does not tell which position has seen every log of the other")
	}
}

// TestMillisecondOverflow: past MaxIDsAtInstant logs in one millisecond,
// the rest of that millisecond is skipped, the logs of the next one still
// come, and nothing comes twice.
func TestMillisecondOverflow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, nil)
		s := w.subscribe(tokA, nil)
		crowd := oldestFirst(w.appendNow(tail.MaxIDsAtInstant))
		if got := ids(read(t, s, len(crowd))); !slices.Equal(got, crowd) {
			t.Fatalf("a millisecond of %d logs: got %d logs", len(crowd), len(got))
		}
		w.appendAgain(1) // one too many for that millisecond: skipped
		time.Sleep(time.Millisecond)
		next := oldestFirst(w.appendNow(2))
		if got := ids(read(t, s, 2)); !slices.Equal(got, next) {
			t.Fatalf("after the full millisecond: %v, want %v", got, next)
		}
		quiet(t, s, time.Minute)
	})
}
