package tail

import (
	"context"
	"sync"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// event is what a poller hands its subscribers: a log, or a notice of a
// transient failure.
type event struct {
	log    *restclient.Log
	notice error
}

// Event is what a subscriber reads: a new log, or a Notice of a transient
// upstream failure (a 429, a 5xx, no answer) after which the subscription
// goes on by itself. Position is how far the subscriber has come, the log
// included: a reader that resumes from it misses nothing and gets nothing
// twice.
type Event struct {
	Log      *restclient.Log
	Notice   error
	Position Position
}

// stage is where a subscription that resumes from a Position is.
type stage int

const (
	// history: reading what it missed, on its own, up to the newest log.
	history stage = iota
	// joining: it has joined the poller; reading, on its own still, up to
	// the poller's position when it joined.
	joining
	// live: the poller's events only.
	live
)

// Subscription is one subscriber's view of a poller. Next and Close are
// for its one reader; the hub and the poller may end it at any time.
type Subscription struct {
	hub    *Hub
	q      Query
	key    string
	cred   string
	poller *poller // set when it joins one, under hub.mu

	events chan event // the bounded queue the poller fills

	endOnce   sync.Once
	done      chan struct{} // closed once ended
	endErr    error         // why it ended; set before done is closed
	skipQueue bool          // the end is told before the events still queued

	// The reader's own state.
	pos        Position
	catchingUp bool
	stage      stage
	until      Position // joining: the poller's position when it joined
	drained    bool     // the stage's last page was not full
	backlog    []restclient.Log
	retry      time.Duration
}

// end ends s with err (the first end wins). With skipQueue the end is told
// before any event still queued.
func (s *Subscription) end(err error, skipQueue bool) {
	s.endOnce.Do(func() {
		s.endErr, s.skipQueue = err, skipQueue
		close(s.done)
	})
}

// Close ends the subscription for its reader; it may be called more than once.
func (s *Subscription) Close() {
	s.end(context.Canceled, true)
	s.hub.remove(s)
}

// Position is how far the reader has come: where a subscription that
// ends now would resume from. Like Next, it is for the reader only.
func (s *Subscription) Position() Position { return s.pos }

// Next blocks until the next event, and returns the error that ended the
// subscription once it has ended (ErrSlowSubscriber, ErrShutdown, an
// upstream failure that leaves nothing to read, or ctx's error).
func (s *Subscription) Next(ctx context.Context) (Event, error) {
	for {
		if s.catchingUp {
			ev, ok, err := s.catchUp(ctx)
			if err != nil || ok {
				return ev, err
			}
			continue
		}
		select {
		case <-s.done:
			if s.skipQueue {
				return Event{}, s.endErr
			}
			select {
			case ev := <-s.events:
				if out, ok := s.take(ev); ok {
					return out, nil
				}
				continue
			default:
				return Event{}, s.endErr
			}
		default:
		}
		select {
		case ev := <-s.events:
			if out, ok := s.take(ev); ok {
				return out, nil
			}
		case <-s.done:
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// take turns a poller's event into the reader's, skipping a log the
// reader has already seen (read during its catch-up, or before it joined).
func (s *Subscription) take(ev event) (Event, bool) {
	if ev.notice != nil {
		return Event{Notice: ev.notice, Position: s.pos}, true
	}
	if s.pos.Seen(ev.log) {
		return Event{}, false
	}
	s.pos = s.pos.After(ev.log)
	return Event{Log: ev.log, Position: s.pos}, true
}

// catchUp makes one step of a resumed subscription's reading on its own:
// it hands out one log read earlier, or reads the next page, or moves on
// to the next stage. ok says it has an event for the reader.
func (s *Subscription) catchUp(ctx context.Context) (ev Event, ok bool, err error) {
	for len(s.backlog) > 0 {
		l := s.backlog[0]
		s.backlog = s.backlog[1:]
		if !s.pos.Seen(&l) {
			s.pos = s.pos.After(&l)
			return Event{Log: &l, Position: s.pos}, true, nil
		}
	}
	select {
	case <-s.done:
		return Event{}, false, s.endErr
	default:
	}
	if s.drained {
		switch s.stage {
		case history:
			until, err := s.hub.attach(s)
			if err != nil {
				return Event{}, false, err
			}
			s.stage, s.until, s.drained = joining, until, false
			if s.pos.Covers(until) {
				s.stage, s.catchingUp = live, false // the poller is not ahead: nothing to read on its own
			}
		case joining:
			s.stage, s.catchingUp = live, false
		}
		return Event{}, false, nil
	}
	if err := s.pause(ctx); err != nil {
		return Event{}, false, err
	}
	var until *Position
	if s.stage == joining {
		until = &s.until
	}
	got, err := s.fetch(ctx, until)
	o := &s.hub.opts
	if err != nil {
		if ctx.Err() != nil {
			return Event{}, false, ctx.Err()
		}
		o.OnPoll(outcome(err, 0))
		kind, retryAfter := classify(err)
		if kind == terminal {
			return Event{}, false, err
		}
		s.retry = max(backoff(s.retry, o), retryAfter)
		return Event{Notice: err, Position: s.pos}, true, nil
	}
	o.OnPoll(outcome(nil, len(got.logs)))
	s.retry, s.backlog, s.drained = 0, got.logs, !got.full
	return Event{}, false, nil
}

// fetch reads the next page of the catch-up; the hub ending s (it is
// shutting down) cancels the call.
func (s *Subscription) fetch(ctx context.Context, until *Position) (fetched, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	return s.hub.fetch(ctx, s.q, s.pos, until)
}

// pause waits out the retry interval after a failed catch-up call.
func (s *Subscription) pause(ctx context.Context) error {
	if s.retry <= 0 {
		return nil
	}
	t := time.NewTimer(s.retry)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-s.done:
		return s.endErr
	case <-ctx.Done():
		return ctx.Err()
	}
}
