package ratebudget

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// upstreamLeft paces calls by what the upstream says is left of its own
// limit. Cloudflare answers with `Ratelimit: "default";r=50;t=30`: 50
// calls left, the window resetting in 30 s. Its count covers everything the
// same user spends (other tokens, the dashboard, other deployments), which
// the local bucket cannot see; so once the upstream has said how many are
// left, no more than that are sent before the reset, and none when it says
// none — before a 429 and its five-minute lockout happen.
//
// It is per process: with several replicas each paces by the answers it
// gets, which carry the upstream's latest count.
type upstreamLeft struct {
	mu    sync.Mutex
	state map[credKey]leftUntil
}

type leftUntil struct {
	left    int
	resetAt time.Time
}

// maxUpstreamLeftKeys bounds the map; expired entries are dropped first.
const maxUpstreamLeftKeys = 10_000

// observe records what an answer's headers say is left for key.
func (u *upstreamLeft) observe(key credKey, h headerReader, now time.Time) {
	left, reset, ok := parseRateLimit(h.Get("Ratelimit"))
	if !ok {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.state == nil {
		u.state = map[credKey]leftUntil{}
	}
	if len(u.state) >= maxUpstreamLeftKeys {
		for k, s := range u.state {
			if !now.Before(s.resetAt) {
				delete(u.state, k)
			}
		}
		if len(u.state) >= maxUpstreamLeftKeys {
			return // a flood of credentials: the local bucket still holds
		}
	}
	u.state[key] = leftUntil{left: left, resetAt: now.Add(reset)}
}

// take spends one of key's calls left and returns 0, or returns how long
// until the upstream's window resets when none is left.
func (u *upstreamLeft) take(key credKey, now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	s, ok := u.state[key]
	switch {
	case !ok:
		return 0
	case !now.Before(s.resetAt):
		delete(u.state, key)
		return 0
	case s.left <= 0:
		return s.resetAt.Sub(now)
	}
	s.left--
	u.state[key] = s
	return 0
}

// giveBack returns a call taken for a request that was not sent after all.
func (u *upstreamLeft) giveBack(key credKey) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if s, ok := u.state[key]; ok {
		s.left++
		u.state[key] = s
	}
}

// headerReader is what observe reads of an http.Header.
type headerReader interface{ Get(string) string }

// parseRateLimit reads the draft RateLimit header Cloudflare sends, e.g.
// `"default";r=50;t=30`: r calls left, t seconds to the reset. With several
// policies the tightest counts. A header it cannot read is ignored.
func parseRateLimit(v string) (left int, reset time.Duration, ok bool) {
	for item := range strings.SplitSeq(v, ",") {
		r, t := -1, -1
		for param := range strings.SplitSeq(item, ";") {
			name, val, found := strings.Cut(strings.TrimSpace(param), "=")
			if !found {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil || n < 0 {
				continue
			}
			switch name {
			case "r":
				r = n
			case "t":
				t = n
			}
		}
		if r < 0 || t < 0 {
			continue
		}
		if !ok || r < left {
			left, reset, ok = r, time.Duration(t)*time.Second, true
		}
	}
	return left, reset, ok
}
