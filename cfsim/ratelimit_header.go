package cfsim

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"
)

// rateCounter counts each credential's calls in fixed windows, only to say
// in the Ratelimit header what the live API says of its own count:
// `"default";r=<left>;t=<seconds to the reset>`. The simulator never
// refuses a call for it (FaultRateLimit does that).
type rateCounter struct {
	limit  int
	window time.Duration
	mu     sync.Mutex
	by     map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	count int
}

// maxCountedCredentials bounds the counter's memory; a full map starts over.
const maxCountedCredentials = 10_000

// count records one call of credential at now and returns the headers to
// send with its answer.
func (c *rateCounter) count(credential string, now time.Time) http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil || len(c.by) >= maxCountedCredentials {
		c.by = map[string]*rateWindow{}
	}
	w := c.by[credential]
	if w == nil || !now.Before(w.start.Add(c.window)) {
		w = &rateWindow{start: now}
		c.by[credential] = w
	}
	w.count++
	reset := int(math.Ceil(w.start.Add(c.window).Sub(now).Seconds()))
	return http.Header{
		"Ratelimit":        {fmt.Sprintf(`"default";r=%d;t=%d`, max(0, c.limit-w.count), reset)},
		"Ratelimit-Policy": {fmt.Sprintf(`"default";q=%d;w=%d`, c.limit, int(c.window.Seconds()))},
	}
}
