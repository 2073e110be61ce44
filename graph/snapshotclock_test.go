package graph

import (
	"sync"
	"testing"
	"time"
)

func TestSnapshotClock(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 300e6, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	sec := time.Second

	var off snapshotClock
	if got := off.next(at(1500*time.Millisecond), sec, 0); !got.Equal(t0.Truncate(sec).Add(sec)) {
		t.Fatalf("without a cache: %v, want the start of the current second", got)
	}

	var c snapshotClock
	first := c.next(at(0), sec, 5*sec)
	if !first.Equal(t0.Truncate(sec)) {
		t.Fatalf("first snapshot %v", first)
	}
	steps := []struct {
		at   time.Duration
		want time.Time
	}{
		{4 * sec, first},                                          // younger than the TTL: reused
		{5*sec - 100*time.Millisecond, first},                     // 4.9 s after it was first handed out (5.2 s after the instant it pins)
		{5 * sec, at(5 * sec).Truncate(sec)},                      // 5 s: a new one
		{5*sec - 300*time.Millisecond, at(5 * sec).Truncate(sec)}, // a reading a little behind joins it
		{-time.Hour, at(-time.Hour).Truncate(sec)},                // the clock set back: afresh
	}
	for _, s := range steps {
		if got := c.next(at(s.at), sec, 5*sec); !got.Equal(s.want) {
			t.Fatalf("at %v: snapshot %v, want %v", s.at, got, s.want)
		}
	}

	// A TTL below the resolution still keeps a snapshot for the resolution.
	var short snapshotClock
	s1 := short.next(at(0), sec, 100*time.Millisecond)
	if got := short.next(at(500*time.Millisecond), sec, 100*time.Millisecond); !got.Equal(s1) {
		t.Fatalf("TTL below the resolution: %v, want %v", got, s1)
	}
}

// TestSnapshotClockConcurrent: walks beginning at once around the end of a
// snapshot's life all get one snapshot (run with -race).
func TestSnapshotClockConcurrent(t *testing.T) {
	var c snapshotClock
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	c.next(t0, time.Second, 5*time.Second)
	end := t0.Add(5 * time.Second)
	got := make([]time.Time, 64)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = c.next(end.Add(time.Duration(i)*time.Millisecond), time.Second, 5*time.Second) })
	}
	wg.Wait()
	for i := range got {
		if !got[i].Equal(end) {
			t.Fatalf("walk %d: snapshot %v, want %v", i, got[i], end)
		}
	}
}
