package breaker

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"

	"github.com/cenkalti/backoff/v4"

	"github.com/aigw/gqlfacade/ratebudget"
)

// Outcomes handed to gobreaker: nil is a success, errNeutral is neither.
var (
	errNeutral = errors.New("breaker: no exchange with the upstream")
	errFailed  = errors.New("breaker: the upstream failed")
)

// ticket is one admitted call's right to report its outcome, once: by
// Record when the call reaches the upstream, else by Gate as neutral.
type ticket struct {
	c        *circuit
	done     func(error)
	reported atomic.Bool
}

func (t *ticket) report(outcome error) {
	if t.reported.CompareAndSwap(false, true) {
		t.done(outcome)
	}
}

type ticketKey struct{}

// Gate returns a RoundTripper that refuses calls while their circuit is
// open. Place it above the rate budget and Record under it (see the package
// comment).
func (b *Breakers) Gate(next http.RoundTripper) http.RoundTripper {
	return &gate{b: b, next: next}
}

type gate struct {
	b    *Breakers
	next http.RoundTripper
}

func (g *gate) RoundTrip(req *http.Request) (*http.Response, error) {
	cred, ok := ratebudget.CredentialKey(req.Header)
	if !ok {
		return g.next.RoundTrip(req)
	}
	c := g.b.circuit(req.URL.Host, cred)
	done, err := c.cb.Allow()
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		open := c.refusal()
		g.b.m.refusals.WithLabelValues(open.class()).Inc()
		// Permanent: restclient must not retry (and so wait) for a
		// circuit that will still be open.
		return nil, backoff.Permanent(open)
	}
	t := &ticket{c: c, done: done}
	// Always settled, or a half-open circuit would wait for its probe forever;
	// a no-op when Record has reported the exchange.
	defer t.report(errNeutral)
	return g.next.RoundTrip(req.WithContext(context.WithValue(req.Context(), ticketKey{}, t)))
}

// CloseIdleConnections forwards to next, so that
// http.Client.CloseIdleConnections still works through the gate.
func (g *gate) CloseIdleConnections() { closeIdle(g.next) }

func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
