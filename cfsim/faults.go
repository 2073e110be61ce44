package cfsim

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultKind is a kind of misbehaviour the simulator can be told to show.
type FaultKind int

const (
	// FaultRateLimit answers 429 with Cloudflare's code 971, Retry-After:
	// RetryAfter seconds (omitted when RetryAfter < 0) and retry-after-ms
	// when RetryAfterMS > 0 — the headers the official SDKs honour.
	FaultRateLimit FaultKind = iota + 1
	// FaultServerError answers 500, or Status if set (e.g. 502, 503), with
	// an error envelope.
	FaultServerError
	// FaultSlow waits Delay, then answers normally; a client that gives up
	// first sees its own timeout (the wait honours r.Context()).
	FaultSlow
	// FaultMalformedJSON answers 200 with the first half of what the answer
	// would have been: a truncated, unparseable body.
	FaultMalformedJSON
	// FaultDropConnection closes the connection without answering.
	FaultDropConnection
	// FaultHold sends on Held (when set) as the request arrives, then waits
	// until Release is closed and answers normally; a client that gives up
	// first sees its own timeout (the wait honours r.Context()). A test
	// learns that a request has reached the upstream, and decides when it
	// ends, without any timing of its own.
	FaultHold
)

// Fault is one queued misbehaviour. Each routed request with an allowed
// method — any endpoint, PATCH included — consumes the first queued fault
// whose Gateway matches the request's gateway id ("" = any; List Gateways
// has no gateway id, so only Gateway "" faults reach it); Times is how many
// requests it affects (0 counts as 1). A fault that answers instead of the
// endpoint (rate limit, server error, dropped connection) means a PATCH is
// not applied; FaultSlow and FaultMalformedJSON let it apply.
type Fault struct {
	Kind         FaultKind
	Times        int
	Status       int
	RetryAfter   int
	RetryAfterMS int
	Delay        time.Duration
	Gateway      string
	Held         chan<- struct{} // FaultHold: told once per held request
	Release      <-chan struct{} // FaultHold: closing it lets held requests answer
}

type faultQueue struct {
	mu    sync.Mutex
	queue []*faultSlot
}

type faultSlot struct {
	f    Fault
	left int
}

// InjectFault queues f behind any faults already queued.
func (s *Server) InjectFault(f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.queue = append(s.faults.queue, &faultSlot{f: f, left: max(f.Times, 1)})
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.queue = nil
}

// take consumes one use of the first fault that applies to gatewayID.
func (q *faultQueue) take(gatewayID string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, sl := range q.queue {
		if sl.f.Gateway != "" && sl.f.Gateway != gatewayID {
			continue
		}
		if sl.left--; sl.left == 0 {
			q.queue = append(q.queue[:i:i], q.queue[i+1:]...)
		}
		return sl.f, true
	}
	return Fault{}, false
}

func rateLimitAnswer(f Fault) answer {
	a := errAnswer(http.StatusTooManyRequests, codeRateLimited, msgRateLimited)
	a.header = http.Header{}
	if f.RetryAfter >= 0 {
		a.header.Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.RetryAfterMS > 0 {
		a.header.Set("Retry-After-Ms", strconv.Itoa(f.RetryAfterMS))
	}
	return a
}

func serverErrorAnswer(f Fault) answer {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	msg := http.StatusText(status)
	if msg == "" {
		msg = "Internal Server Error"
	}
	return errAnswer(status, codeInternalError, msg)
}

// truncate cuts a body in half. Half a JSON object is never valid JSON (its
// closing brace is gone), which is the point.
func truncate(a answer) answer {
	a.status = http.StatusOK
	a.body = a.body[:len(a.body)/2]
	return a
}

// dropConnection closes the client's connection without a response. Hijack
// is the clean way on HTTP/1; elsewhere http.ErrAbortHandler makes the
// server abort the response (the caller's deferred bookkeeping still runs).
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// hold waits for f.Release unless ctx ends first; it reports whether the
// request was released.
func hold(ctx context.Context, f Fault) bool {
	if f.Held != nil {
		select {
		case f.Held <- struct{}{}:
		case <-ctx.Done():
			return false
		}
	}
	select {
	case <-f.Release:
		return true
	case <-ctx.Done():
		return false
	}
}
