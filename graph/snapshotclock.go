package graph

import (
	"sync"
	"time"
)

// snapshotClock hands new walks the instant they are pinned to. Every
// upstream list call carries its walk's snapshot (`created_at lt …`), so
// identical queries are one cacheable upstream call only if they share it.
// While the rate budget caches answers (Config.CacheTTL), new walks
// therefore reuse the last snapshot handed out as long as it is younger than
// the TTL, and start a new one only then: the same query within that time
// is a cache hit, at the price of not seeing logs newer than the TTL.
// Without a cache a new walk is pinned, as it always was, to the start of
// the current SnapshotResolution period, which still lets identical
// concurrent calls coalesce.
type snapshotClock struct {
	mu     sync.Mutex
	last   time.Time // the snapshot handed out last; zero before the first
	issued time.Time // when last was first handed out
}

// next returns the snapshot of a new walk that begins at now.
func (c *snapshotClock) next(now time.Time, resolution, ttl time.Duration) time.Time {
	fresh := now
	if resolution > 0 {
		fresh = now.Truncate(resolution)
	}
	if ttl <= 0 {
		return fresh
	}
	period := max(ttl, resolution)
	c.mu.Lock()
	defer c.mu.Unlock()
	// The age counts from when the snapshot was first handed out, not
	// from the instant it pins (up to a resolution earlier): the cache
	// keeps an answer for the TTL from its first call, which is no earlier.
	// A request that read the clock just before another one started a new
	// snapshot sees a small negative age and joins it; a clock set back
	// further starts afresh rather than keep a snapshot from its future.
	if age := now.Sub(c.issued); c.last.IsZero() || age >= period || age <= -period {
		c.last, c.issued = fresh, now
	}
	return c.last
}

// newSnapshot is the snapshot of a walk that begins at now.
func (r *Resolver) newSnapshot(now time.Time) time.Time {
	return r.snapshots.next(now, r.Config.SnapshotResolution, r.Config.CacheTTL)
}
