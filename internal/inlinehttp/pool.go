package inlinehttp

import (
	"compress/gzip"
	"context"
	"io"
	"sync"
	"time"
)

// pool holds the connections to one scheme://host:port.
type pool struct {
	t                  *Transport
	scheme, addr, host string

	mu      sync.Mutex
	idle    []*conn // the most recently used last
	open    int     // connections open, in use or idle
	waiters []chan struct{}
}

// get is an idle connection, a new one, or — at MaxConnsPerHost — the
// next one to come free.
func (p *pool) get(ctx context.Context) (*conn, error) {
	for {
		p.mu.Lock()
		if c := p.takeIdle(); c != nil {
			p.mu.Unlock()
			return c, nil
		}
		if max := p.t.MaxConnsPerHost; max <= 0 || p.open < max {
			p.open++
			p.mu.Unlock()
			c, err := p.t.dial(ctx, p)
			if err != nil {
				p.closed()
				return nil, err
			}
			return c, nil
		}
		wake := make(chan struct{}, 1)
		p.waiters = append(p.waiters, wake)
		p.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			p.mu.Lock()
			p.forget(wake)
			p.mu.Unlock()
			return nil, ctx.Err()
		}
	}
}

// takeIdle pops the most recently used idle connection that has not been
// idle too long; older ones are closed. Caller holds p.mu.
func (p *pool) takeIdle() *conn {
	for len(p.idle) > 0 {
		n := len(p.idle) - 1
		c := p.idle[n]
		p.idle[n] = nil
		p.idle = p.idle[:n]
		if limit := p.t.IdleConnTimeout; limit > 0 && time.Since(c.idleSince) > limit {
			p.open--
			_ = c.nc.Close()
			continue
		}
		return c
	}
	return nil
}

// put keeps c for the next request, unless enough are idle already.
func (p *pool) put(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	limit := p.t.MaxIdleConnsPerHost
	if limit <= 0 {
		limit = p.t.MaxConnsPerHost
	}
	if limit > 0 && len(p.idle) >= limit {
		p.open--
		_ = c.nc.Close()
	} else {
		c.idleSince = time.Now()
		p.idle = append(p.idle, c)
	}
	p.wakeOne()
}

// discard closes c, which cannot serve again.
func (p *pool) discard(c *conn) {
	_ = c.nc.Close()
	p.closed()
}

// closed counts one connection fewer (closed, or never opened) and lets a
// waiter try again.
func (p *pool) closed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open--
	p.wakeOne()
}

// wakeOne tells the longest waiter that a connection may be had. Caller
// holds p.mu.
func (p *pool) wakeOne() {
	if len(p.waiters) == 0 {
		return
	}
	w := p.waiters[0]
	p.waiters = p.waiters[1:]
	w <- struct{}{}
}

// forget drops a waiter that gave up; if it was woken meanwhile, the
// wake-up goes to the next one. Caller holds p.mu.
func (p *pool) forget(w chan struct{}) {
	for i, x := range p.waiters {
		if x == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return
		}
	}
	select {
	case <-w:
		p.wakeOne()
	default:
	}
}

func (p *pool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	for range idle {
		p.wakeOne()
	}
	p.mu.Unlock()
	for _, c := range idle {
		_ = c.nc.Close()
	}
}

func newGzipReader(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }
