package cfsim

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Request is what the simulator recorded about one incoming call, so tests
// can assert exactly which upstream calls a client made (how many, with
// which filters, which credentials).
//
// Status is the HTTP status sent; two values are not HTTP statuses:
// StatusClientGone (499) when the client went away before the answer (latency
// or FaultSlow cut short by cancellation), and StatusDropped (0) when a
// FaultDropConnection closed the connection without answering.
type Request struct {
	Method, Path, RawQuery            string
	Query                             url.Values
	AccountID, GatewayID, LogID       string
	Authorization, AuthEmail, AuthKey string
	Status                            int
	At                                time.Time // arrival, by Options.Now
	Filters                           []Filter  // parsed `filters` JSON, nil if none or unparseable
	// Body is the request body as received ("" for none; cut at
	// maxRequestBody+1 bytes), e.g. what a PATCH sent.
	Body string
}

// Pseudo-statuses of Request.Status.
const (
	StatusClientGone = 499
	StatusDropped    = 0
)

// requestLog keeps requests in arrival order; a slot becomes visible once
// its request completes, so Requests never shows a half-filled record.
//
// It keeps at most max records (the oldest go first), so that a long-running
// simulator — the demo — does not grow without bound; RequestCount still
// counts every request since the last reset.
type requestLog struct {
	mu          sync.Mutex
	slots       []*reqSlot
	max         int
	droppedDone int // completed requests trimmed from slots
	// finished, when not nil, is closed as the next request completes, to
	// wake AwaitRequests.
	finished chan struct{}
}

type reqSlot struct {
	req  Request
	done bool
}

func (rl *requestLog) begin(r *http.Request, at time.Time) *reqSlot {
	s := &reqSlot{req: Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(),
		Authorization: r.Header.Get("Authorization"), AuthEmail: r.Header.Get("X-Auth-Email"),
		AuthKey: r.Header.Get("X-Auth-Key"), At: at,
	}}
	rl.mu.Lock()
	rl.slots = append(rl.slots, s)
	if rl.max > 0 && len(rl.slots) >= 2*rl.max { // trim in batches: amortised O(1)
		drop := len(rl.slots) - rl.max
		for _, old := range rl.slots[:drop] {
			if old.done {
				rl.droppedDone++
			}
		}
		rl.slots = append([]*reqSlot(nil), rl.slots[drop:]...)
	}
	rl.mu.Unlock()
	return s
}

// finish publishes the slot. The handler fills the other fields before this,
// and the mutex orders those writes before any reader.
func (rl *requestLog) finish(s *reqSlot, status int) {
	rl.mu.Lock()
	s.req.Status, s.done = status, true
	if rl.finished != nil {
		close(rl.finished)
		rl.finished = nil
	}
	rl.mu.Unlock()
}

// Requests returns the completed requests in arrival order (the most recent
// Options.MaxRecordedRequests of them).
func (s *Server) Requests() []Request {
	s.reqs.mu.Lock()
	defer s.reqs.mu.Unlock()
	out := make([]Request, 0, len(s.reqs.slots))
	for _, sl := range s.reqs.slots {
		if sl.done {
			out = append(out, sl.req)
		}
	}
	return out
}

// RequestCount is len(Requests()) without the copy.
func (s *Server) RequestCount() int {
	s.reqs.mu.Lock()
	defer s.reqs.mu.Unlock()
	return s.reqs.count()
}

func (rl *requestLog) count() int {
	n := rl.droppedDone
	for _, sl := range rl.slots {
		if sl.done {
			n++
		}
	}
	return n
}

// AwaitRequests waits until RequestCount() is at least n, or ctx ends (it
// returns ctx's error). A request is recorded when its handler returns,
// which can be just after its client saw the answer, a dropped connection
// or its own timeout: a test waits for that event rather than for a time.
func (s *Server) AwaitRequests(ctx context.Context, n int) error {
	for {
		s.reqs.mu.Lock()
		if s.reqs.count() >= n {
			s.reqs.mu.Unlock()
			return nil
		}
		if s.reqs.finished == nil {
			s.reqs.finished = make(chan struct{})
		}
		finished := s.reqs.finished
		s.reqs.mu.Unlock()
		select {
		case <-finished:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// ResetRequests forgets every recorded request, including in-flight ones.
func (s *Server) ResetRequests() {
	s.reqs.mu.Lock()
	s.reqs.slots, s.reqs.droppedDone = nil, 0
	s.reqs.mu.Unlock()
	s.flight.peak.Store(s.flight.now.Load())
}
