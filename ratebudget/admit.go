package ratebudget

import (
	"context"
	"time"
)

// maxAdmitRounds bounds how often admission starts over because a pause
// appeared or outlasted a wait; each round sleeps, so this only stops a
// pause that keeps being extended from holding a request indefinitely.
const maxAdmitRounds = 4

// callReserve is the part of a deadline kept for the upstream call itself:
// waiting for a token until the very deadline would spend the token on a
// call with no time left to answer, where a refusal costs nothing.
const callReserve = 100 * time.Millisecond

// refused says why a request is not sent and when to try again.
type refused struct {
	reason refusalReason
	wait   time.Duration
}

// admit returns once key may send one request (nil, nil), or says why it
// may not (a refusal), or fails with the context's error while waiting.
//
// A paused credential is checked first, so that a pause costs no tokens. A
// request waits (for the pause to end or for its token) only as long as
// allowedWait permits; otherwise it is refused with the time it would have
// had to wait, which becomes the refusal's Retry-After.
func (t *Transport) admit(ctx context.Context, key credKey) (*refused, error) {
	for round := 0; ; round++ {
		allowed := t.allowedWait(ctx)
		if p, _ := t.pauses.pausedFor(ctx, key); p > 0 {
			if p > allowed || round == maxAdmitRounds {
				return &refused{reasonPaused, p}, nil
			}
			if err := t.wait(ctx, p); err != nil {
				return nil, err
			}
			continue
		}
		if d := t.left.take(key, t.now()); d > 0 {
			// The upstream said none are left until its window resets:
			// waiting for that is waiting out a pause.
			if d > allowed || round == maxAdmitRounds {
				return &refused{reasonUpstream, d}, nil
			}
			if err := t.wait(ctx, d); err != nil {
				return nil, err
			}
			continue
		}
		g, _ := t.bucket.reserve(ctx, key, allowed)
		if !g.ok {
			t.left.giveBack(key)
			return &refused{reasonBudget, g.delay}, nil
		}
		t.m.tokensRemaining.Observe(g.remaining)
		if g.delay <= 0 {
			return nil, nil
		}
		if err := t.wait(ctx, g.delay); err != nil {
			g.cancel() // the caller left: the token goes back
			t.left.giveBack(key)
			return nil, err
		}
		// Another request may have met a 429 while this one waited: sending
		// now would be one more call into a lockout.
		if p, _ := t.pauses.pausedFor(ctx, key); p > 0 {
			g.cancel()
			t.left.giveBack(key)
			if round == maxAdmitRounds {
				return &refused{reasonPaused, p}, nil
			}
			continue
		}
		return nil, nil
	}
}

// allowedWait is how long this request may wait before its upstream call:
// until shortly before its deadline if it has one, else MaxWait; never if
// MaxWait < 0.
func (t *Transport) allowedWait(ctx context.Context) time.Duration {
	if t.maxWait < 0 {
		return 0
	}
	if dl, ok := ctx.Deadline(); ok {
		return max(dl.Sub(t.now())-callReserve, 0)
	}
	return t.maxWait
}

func (t *Transport) wait(ctx context.Context, d time.Duration) error {
	t.m.waits.Inc()
	t.m.waitSeconds.Observe(d.Seconds())
	return t.sleepFor(ctx, d)
}
