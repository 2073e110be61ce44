package tail

import (
	"context"
	"sync"
	"time"

	"github.com/aigw/gqlfacade/internal/timex"
	"github.com/aigw/gqlfacade/restclient"
)

// poller reads one Query for all of its subscribers.
type poller struct {
	hub    *Hub
	q      Query
	key    string
	cancel context.CancelFunc

	mu   sync.Mutex // guards pos and subs; held while a page is handed out
	pos  Position   // written by run only, under mu
	subs map[*Subscription]struct{}
}

// add makes s a subscriber and returns the position it joins at.
func (p *poller) add(s *Subscription) Position {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subs[s] = struct{}{}
	return p.pos
}

// drop removes s and returns how many subscribers are left.
func (p *poller) drop(s *Subscription) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.subs, s)
	return len(p.subs)
}

// run polls until ctx is done (its last subscriber left, or the hub
// closed) or a failure ends the subscription for good.
func (p *poller) run(ctx context.Context) {
	o := &p.hub.opts
	interval, wait := o.MinInterval, o.MinInterval
	for {
		if timex.Sleep(ctx, wait) != nil {
			return
		}
		got, err := p.hub.fetch(ctx, p.q, p.pos, nil)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			kind, retryAfter := classify(err)
			o.OnPoll(outcome(err, 0))
			if kind == terminal {
				p.endAll(err)
				p.hub.retire(p)
				return
			}
			p.hand(event{notice: err})
			interval = backoff(interval, o)
			wait = max(interval, retryAfter)
			continue
		}
		o.OnPoll(outcome(nil, len(got.logs)))
		for i := range got.logs {
			p.hand(event{log: &got.logs[i]})
		}
		switch {
		case got.full && len(got.logs) > 0:
			interval, wait = o.MinInterval, 0 // more are waiting: read them at once
		case len(got.logs) > 0:
			interval, wait = o.MinInterval, o.MinInterval
		default:
			interval = backoff(interval, o)
			wait = interval
		}
	}
}

// hand gives ev to every subscriber without waiting for any: one whose
// queue is full is ended with ErrSlowSubscriber. A log advances the
// poller's position in the same step, so that a subscriber joining in
// between gets either the log or a position past it.
func (p *poller) hand(ev event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ev.log != nil {
		p.pos = p.pos.After(ev.log)
	}
	for s := range p.subs {
		select {
		case s.events <- ev:
		default:
			s.end(ErrSlowSubscriber, true)
			delete(p.subs, s)
		}
	}
}

// endAll ends every subscriber with err, after the events it has queued.
func (p *poller) endAll(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.subs {
		s.end(err, false)
		delete(p.subs, s)
	}
}

// backoff doubles an interval, within the hub's bounds.
func backoff(d time.Duration, o *Options) time.Duration {
	return min(max(2*d, o.MinInterval), o.MaxInterval)
}

// outcome names a call's outcome for Options.OnPoll: the error's class, or
// whether any of the n logs it read were new.
func outcome(err error, n int) string {
	switch {
	case err == nil && n > 0:
		return "logs"
	case err == nil:
		return "empty"
	case restclient.IsRateLimited(err):
		return "rate_limited"
	}
	if kind, _ := classify(err); kind == terminal {
		return "ended"
	}
	return "failed"
}
