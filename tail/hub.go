// Package tail follows a gateway's logs as they arrive, for live
// subscriptions. It knows nothing of GraphQL: a Hub hands out
// Subscriptions, and keeps one poller per (credential, account, gateway,
// filter), shared by all of its subscribers, so that a hundred dashboards
// on one gateway cost the upstream what one does.
//
// A poller lists the logs it has not seen, oldest first (`created_at gt`
// the last instant it read, less the ids it already saw at that
// millisecond), at an interval that shortens to MinInterval while logs
// arrive and doubles towards MaxInterval while none do; a full page is
// followed at once. Every call waits for the Pacer, so a busy rate budget
// slows the pollers instead of being overdrawn. A poller stops when its
// last subscriber leaves.
//
// Each subscriber has a queue of QueueSize events: the poller never waits
// for one, and a subscriber whose queue is full is ended with
// ErrSlowSubscriber. A subscriber that resumes from an earlier Position
// first reads what it missed on its own, then joins the poller.
package tail

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Options configure a Hub. Lister is required; zero values of the others
// select the defaults.
type Options struct {
	Lister Lister
	Pacer  Pacer // nil: calls are not paced (no rate budget)
	// MinInterval is the pause between polls while logs arrive (2 s);
	// MaxInterval the longest, reached by doubling while none do (30 s).
	MinInterval, MaxInterval time.Duration
	// QueueSize is how many events a subscriber may have waiting (256).
	QueueSize int
	// MaxPerCredential is the most subscriptions one credential may hold
	// at once (0: no limit).
	MaxPerCredential int
	// CallTimeout bounds one upstream call (15 s).
	CallTimeout time.Duration
	// Now is the clock that places new subscribers (time.Now).
	Now func() time.Time
	// OnPoll is told the outcome of every upstream call of a poller or of
	// a catch-up: "logs", "empty", "rate_limited", "failed" or "ended".
	OnPoll func(outcome string)
}

// Errors that end a subscription.
var (
	// ErrSlowSubscriber: the subscriber did not take its events as fast as
	// they came, and its queue filled up.
	ErrSlowSubscriber = errors.New("tail: the subscriber fell behind: its queue of events is full")
	// ErrShutdown: the hub is closing (the server is shutting down).
	ErrShutdown = errors.New("tail: the server is shutting down")
)

// TooManyError refuses a subscription over Options.MaxPerCredential.
type TooManyError struct{ Limit int }

func (e *TooManyError) Error() string {
	return fmt.Sprintf("tail: the credential already holds %d subscriptions, the most allowed", e.Limit)
}

// Hub holds the pollers and their subscribers. It is safe for concurrent use.
type Hub struct {
	opts Options

	mu      sync.Mutex
	closed  bool
	pollers map[string]*poller
	subs    map[*Subscription]struct{}
	perCred map[string]int // subscriptions per credential fingerprint
	running sync.WaitGroup // poller goroutines
}

// New makes a Hub.
func New(opts Options) *Hub {
	if opts.MinInterval <= 0 {
		opts.MinInterval = 2 * time.Second
	}
	if opts.MaxInterval < opts.MinInterval {
		opts.MaxInterval = max(30*time.Second, opts.MinInterval)
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 256
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 15 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OnPoll == nil {
		opts.OnPoll = func(string) {}
	}
	return &Hub{opts: opts, pollers: map[string]*poller{}, subs: map[*Subscription]struct{}{}, perCred: map[string]int{}}
}

// Subscribe follows q from now, or from `from` when given: the logs from
// has not seen are read first (as far back as the upstream holds them),
// then the live ones. It makes no upstream call itself. The subscription
// must be closed when its reader is done with it.
func (h *Hub) Subscribe(q Query, from *Position) (*Subscription, error) {
	key, err := q.key()
	if err != nil {
		return nil, err
	}
	s := &Subscription{hub: h, q: q, key: key, cred: q.Creds.Fingerprint(),
		events: make(chan event, h.opts.QueueSize), done: make(chan struct{})}
	if from != nil {
		s.pos, s.catchingUp = *from, true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrShutdown
	}
	if limit := h.opts.MaxPerCredential; limit > 0 && h.perCred[s.cred] >= limit {
		return nil, &TooManyError{Limit: limit}
	}
	h.perCred[s.cred]++
	h.subs[s] = struct{}{}
	if from == nil {
		h.attachLocked(s, Start(h.opts.Now()))
	}
	return s, nil
}

// attach joins s to its poller, starting one if there is none, and returns
// the poller's position at the moment s joined: s receives every log the
// poller finds after it.
func (h *Hub) attach(s *Subscription) (Position, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return Position{}, ErrShutdown
	}
	return h.attachLocked(s, Start(h.opts.Now())), nil
}

func (h *Hub) attachLocked(s *Subscription, now Position) Position {
	p := h.pollers[s.key]
	if p == nil {
		start := now
		if !s.pos.At.IsZero() {
			start = s.pos // one that caught up starts the poller where it stands
		}
		ctx, cancel := context.WithCancel(context.Background())
		p = &poller{hub: h, q: s.q, key: s.key, pos: start, cancel: cancel, subs: map[*Subscription]struct{}{}}
		h.pollers[s.key] = p
		h.running.Add(1)
		go func() {
			defer h.running.Done()
			p.run(ctx)
		}()
	}
	joined := p.add(s)
	s.poller = p
	if s.pos.At.IsZero() {
		s.pos = now.Later(joined) // a new subscriber starts now, even if the poller is behind
	}
	return joined
}

// remove forgets s (its reader is done with it), and stops its poller if s
// was the last subscriber.
func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; !ok {
		return
	}
	delete(h.subs, s)
	if h.perCred[s.cred]--; h.perCred[s.cred] <= 0 {
		delete(h.perCred, s.cred)
	}
	if p := s.poller; p != nil && p.drop(s) == 0 && h.pollers[s.key] == p {
		delete(h.pollers, s.key)
		p.cancel()
	}
}

// retire forgets a poller that has ended on its own (a terminal failure),
// unless another has taken its place.
func (h *Hub) retire(p *poller) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pollers[p.key] == p {
		delete(h.pollers, p.key)
	}
}

// Stats reports the subscriptions held and the pollers running.
func (h *Hub) Stats() (subscriptions, pollers int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs), len(h.pollers)
}

// Close ends every subscription with ErrShutdown, refuses new ones, and
// returns once every poller has stopped.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	for s := range h.subs {
		s.end(ErrShutdown, true)
	}
	for key, p := range h.pollers {
		p.cancel()
		delete(h.pollers, key)
	}
	h.mu.Unlock()
	h.running.Wait()
}
