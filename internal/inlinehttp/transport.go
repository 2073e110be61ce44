// Package inlinehttp is an http.RoundTripper for HTTP/1.1 that makes each
// exchange on the goroutine that asks for it: the request is written, and
// the response read, by the caller itself, over a pooled keep-alive
// connection.
//
// Why not net/http's Transport: it gives every connection a reading and a
// writing goroutine and hands each request, response and end of body
// between them and the caller, four hand-offs a call. On the benchmark's
// machine each one that wakes an idle processor cost microseconds, and
// together they were 50–100 µs of CPU and 40–70 µs of latency a call
// (bench/README.md, "Latency"). fasthttp, the library that makes its
// exchanges inline, cannot cancel one when its context ends, which the
// service needs (a client that goes away abandons its upstream call). So
// the framing is net/http's own — http.Request.Write and
// http.ReadResponse — and only the connection handling is here: the pool,
// cancellation, timeouts, gzip and the retry of a request that met a
// keep-alive connection the server had closed.
//
// What it does not do, it hands to Fallback: requests through a proxy, and
// schemes other than http and https. It speaks HTTP/1.1 only (TLS offers
// no other protocol).
package inlinehttp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Transport is the round tripper. Set its fields before the first request;
// the zero value works (no timeouts, no limits, no proxy).
type Transport struct {
	// DialContext opens TCP connections; nil: a net.Dialer.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSClientConfig is cloned for each https connection; ServerName is
	// the URL's host unless set, and only HTTP/1.1 is offered.
	TLSClientConfig     *tls.Config
	TLSHandshakeTimeout time.Duration // 0: only the request's context
	// ResponseHeaderTimeout bounds the wait for the response's headers
	// once the request is written; 0: only the request's context.
	ResponseHeaderTimeout time.Duration
	// IdleConnTimeout: a connection idle for longer is closed instead of
	// being used again; 0: no limit.
	IdleConnTimeout time.Duration
	// MaxConnsPerHost bounds the connections to one host, in use or idle;
	// a request beyond waits for one (or for its context). 0: no limit.
	MaxConnsPerHost int
	// MaxIdleConnsPerHost bounds the idle connections kept per host;
	// 0: as many as MaxConnsPerHost allows.
	MaxIdleConnsPerHost int
	// DisableCompression: do not ask for gzip. Otherwise a request without
	// Accept-Encoding asks for it and a gzipped answer is decompressed,
	// as net/http does.
	DisableCompression bool
	// Proxy picks a proxy for a request, as http.Transport's does; a
	// request that goes through one goes to Fallback.
	Proxy func(*http.Request) (*url.URL, error)
	// Fallback carries what this transport does not (see the package
	// comment); nil: such requests fail.
	Fallback http.RoundTripper

	mu    sync.Mutex
	pools map[string]*pool
}

// Clone is a copy of t's settings with no connections.
func (t *Transport) Clone() *Transport {
	return &Transport{
		DialContext:           t.DialContext,
		TLSClientConfig:       t.TLSClientConfig,
		TLSHandshakeTimeout:   t.TLSHandshakeTimeout,
		ResponseHeaderTimeout: t.ResponseHeaderTimeout,
		IdleConnTimeout:       t.IdleConnTimeout,
		MaxConnsPerHost:       t.MaxConnsPerHost,
		MaxIdleConnsPerHost:   t.MaxIdleConnsPerHost,
		DisableCompression:    t.DisableCompression,
		Proxy:                 t.Proxy,
		Fallback:              t.Fallback,
	}
}

// CloseIdleConnections closes the connections not in use, here and in
// Fallback.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	pools := make([]*pool, 0, len(t.pools))
	for _, p := range t.pools {
		pools = append(pools, p)
	}
	t.mu.Unlock()
	for _, p := range pools {
		p.closeIdle()
	}
	if f, ok := t.Fallback.(interface{ CloseIdleConnections() }); ok {
		f.CloseIdleConnections()
	}
}

var errNoFallback = errors.New("inlinehttp: the request needs a proxy or another scheme, and the transport has no Fallback")

// RoundTrip makes the exchange on the calling goroutine.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeRequestBody(req)
		return nil, errors.New("inlinehttp: request has no URL")
	}
	if s := req.URL.Scheme; (s != "http" && s != "https") || req.URL.Host == "" {
		return t.fallback(req)
	}
	if t.Proxy != nil {
		proxy, err := t.Proxy(req)
		if err != nil {
			closeRequestBody(req)
			return nil, err
		}
		if proxy != nil {
			return t.fallback(req)
		}
	}
	ctx := req.Context()
	wireReq, askedGzip := t.wireRequest(req)
	p := t.pool(req.URL)
	for attempt := 1; ; attempt++ {
		c, err := p.get(ctx)
		if err != nil {
			closeRequestBody(req)
			return nil, err
		}
		resp, err := c.exchange(ctx, wireReq, t.ResponseHeaderTimeout)
		if err == nil {
			return t.respond(req, resp, c, p, askedGzip), nil
		}
		p.discard(c)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A keep-alive connection the server closed while it sat idle
		// fails before any answer: the request is sent again on a new one
		// when sending it twice is harmless (net/http's rule).
		if attempt == 1 && c.reused && c.answered == 0 && replayable(req) {
			if wireReq, err = rewind(wireReq, req); err == nil {
				continue
			}
		}
		// No URL here: http.Client adds it, and callers that must not show
		// the query (a search text, say) take it out there.
		return nil, fmt.Errorf("inlinehttp: %w", err)
	}
}

func (t *Transport) fallback(req *http.Request) (*http.Response, error) {
	if t.Fallback == nil {
		closeRequestBody(req)
		return nil, errNoFallback
	}
	return t.Fallback.RoundTrip(req)
}

// wireRequest is req as written: with Accept-Encoding: gzip added when the
// transport decompresses (on a copy, a RoundTripper leaves req alone).
func (t *Transport) wireRequest(req *http.Request) (*http.Request, bool) {
	if t.DisableCompression || req.Method == http.MethodHead || req.Header.Get("Accept-Encoding") != "" || req.Header.Get("Range") != "" || req.Header.Get("Upgrade") != "" {
		return req, false
	}
	w := *req
	w.Header = req.Header.Clone()
	if w.Header == nil {
		w.Header = http.Header{}
	}
	w.Header.Set("Accept-Encoding", "gzip")
	return &w, true
}

func (t *Transport) pool(u *url.URL) *pool {
	key := u.Scheme + "://" + canonicalAddr(u)
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pools[key]
	if p == nil {
		if t.pools == nil {
			t.pools = map[string]*pool{}
		}
		p = &pool{t: t, scheme: u.Scheme, addr: canonicalAddr(u), host: u.Hostname()}
		t.pools[key] = p
	}
	return p
}

// canonicalAddr is the URL's host:port, with the scheme's port if none.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// replayable is net/http's rule for sending a request again: a method
// without side effects (or a caller's Idempotency-Key), and a body that
// can be had again.
func replayable(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
	default:
		if _, ok := req.Header["Idempotency-Key"]; !ok {
			if _, ok := req.Header["X-Idempotency-Key"]; !ok {
				return false
			}
		}
	}
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind is wireReq with a fresh body for a second attempt.
func rewind(wireReq, req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return wireReq, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	w := *wireReq
	w.Body = body
	return &w, nil
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// respond gives the caller resp, whose body releases c when read to its
// end or closed.
func (t *Transport) respond(req *http.Request, resp *http.Response, c *conn, p *pool, askedGzip bool) *http.Response {
	resp.Request = req
	if tc, ok := c.nc.(*tls.Conn); ok {
		st := tc.ConnectionState()
		resp.TLS = &st
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// The connection is the caller's now (a WebSocket, say), as with
		// net/http: its body reads and writes it.
		resp.Body = &switched{c: c, p: p}
		return resp
	}
	reusable := !resp.Close && !req.Close
	if resp.Body == nil || resp.Body == http.NoBody {
		resp.Body = http.NoBody
		c.release(p, reusable)
		return resp
	}
	b := &body{raw: resp.Body, c: c, p: p, ctx: req.Context(), reusable: reusable}
	b.r = b.raw
	if askedGzip && resp.Header.Get("Content-Encoding") == "gzip" {
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
		b.r = &lazyGzip{src: b.raw}
	}
	resp.Body = b
	return resp
}

// switched is the body of a 101 answer: the connection itself, which
// leaves the pool and closes with it.
type switched struct {
	c    *conn
	p    *pool
	once sync.Once
}

func (s *switched) Read(p []byte) (int, error)  { return s.c.br.Read(p) }
func (s *switched) Write(p []byte) (int, error) { return s.c.nc.Write(p) }
func (s *switched) Close() error {
	s.once.Do(func() { s.p.discard(s.c) })
	return nil
}

// errBodyClosed is what reading a body after Close gives, as net/http.
var errBodyClosed = errors.New("http: read on closed response body")

// body is a response's body: at its end (or Close) the connection goes
// back to the pool, or is closed when it cannot serve again.
type body struct {
	r        io.Reader     // what the caller reads: raw, or raw decompressed
	raw      io.ReadCloser // http.ReadResponse's body, over the connection
	c        *conn
	p        *pool
	ctx      context.Context
	reusable bool

	mu   sync.Mutex
	done bool
	err  error // what Read gives once done
}

func (b *body) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	switch {
	case err == io.EOF:
		// A decompressed body ends at gzip's trailer: the connection is
		// clean only if the wire body ends there too.
		clean := b.r == b.raw || atEOF(b.raw)
		b.finish(clean, io.EOF)
	case err != nil:
		if b.ctx.Err() != nil {
			err = b.ctx.Err()
		}
		b.finish(false, err)
	}
	return n, err
}

func (b *body) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.finish(false, errBodyClosed) // unread bytes: the connection cannot serve again
	}
	b.err = errBodyClosed
	return nil
}

func (b *body) finish(clean bool, err error) {
	b.done, b.err = true, err
	b.c.release(b.p, clean && b.reusable)
}

func atEOF(r io.Reader) bool {
	var one [1]byte
	n, err := r.Read(one[:])
	return n == 0 && err == io.EOF
}
