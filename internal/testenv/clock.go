package testenv

import (
	"sync"
	"time"
)

// Clock moves only when the test moves it. Its Now fits the clocks the
// code takes (app.Config.Now, graph.Resolver.Now, cfsim.Options.Now,
// ratebudget.Options.Now), and it is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a Clock that reads t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the time the clock reads.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
