package inlinehttp

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// conn is one connection and what its exchanges need.
type conn struct {
	nc net.Conn
	br *bufio.Reader
	bw *bufio.Writer

	reused    bool      // it served an exchange before this one
	answered  int64     // bytes of this exchange's answer read so far
	idleSince time.Time // when it went back to the pool

	// A context that ends sets the connection's deadline in the past, so
	// that whatever blocks on it returns; stop undoes the watch.
	mu        sync.Mutex
	cancelled bool
	stop      func() bool
}

// countingReader counts what the connection has read, so that a failed
// exchange can tell whether any of the answer came.
type countingReader struct {
	c *conn
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.c.nc.Read(p)
	r.c.answered += int64(n)
	return n, err
}

func newConn(nc net.Conn) *conn {
	c := &conn{nc: nc}
	c.br = bufio.NewReaderSize(countingReader{c}, 4<<10)
	c.bw = bufio.NewWriterSize(nc, 4<<10)
	return c
}

// aLongTimeAgo is a deadline that has passed: reads and writes fail at once.
var aLongTimeAgo = time.Unix(1, 0)

// watch ties the connection to ctx until release.
func (c *conn) watch(ctx context.Context) {
	c.cancelled = false
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.cancelled = true
		_ = c.nc.SetDeadline(aLongTimeAgo)
	})
}

// setReadDeadline sets d unless the context has ended (its deadline in the
// past must stay).
func (c *conn) setReadDeadline(d time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.cancelled {
		_ = c.nc.SetReadDeadline(d)
	}
}

// exchange writes req and reads the answer's head; the body is the
// caller's to read.
func (c *conn) exchange(ctx context.Context, req *http.Request, headerTimeout time.Duration) (*http.Response, error) {
	c.answered = 0
	c.watch(ctx)
	if err := req.Write(c.bw); err != nil {
		c.stop()
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		c.stop()
		return nil, err
	}
	if headerTimeout > 0 {
		c.setReadDeadline(time.Now().Add(headerTimeout))
	}
	for {
		resp, err := http.ReadResponse(c.br, req)
		if err != nil {
			c.stop()
			var ne net.Error
			if headerTimeout > 0 && ctx.Err() == nil && errors.As(err, &ne) && ne.Timeout() {
				return nil, fmt.Errorf("timeout awaiting response headers (%v): %w", headerTimeout, err)
			}
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusSwitchingProtocols:
			// The caller owns the connection from here: its context no
			// longer bounds it, nor does the header timeout.
			c.stop()
			_ = c.nc.SetReadDeadline(time.Time{})
			return resp, nil
		case resp.StatusCode >= 100 && resp.StatusCode < 200:
			continue // informational (103 Early Hints, say): the answer follows
		}
		if headerTimeout > 0 {
			c.setReadDeadline(time.Time{})
		}
		return resp, nil
	}
}

// release ends the exchange: the connection goes back to p when it can
// serve again, else it is closed.
func (c *conn) release(p *pool, reusable bool) {
	if !c.stop() { // the context ended: the deadline in the past stays
		reusable = false
	}
	if reusable && c.br.Buffered() > 0 {
		reusable = false // bytes past the answer: not ours to guess at
	}
	if reusable {
		c.reused = true
		p.put(c)
		return
	}
	p.discard(c)
}

// dial opens a connection to the pool's host, with TLS for https.
func (t *Transport) dial(ctx context.Context, p *pool) (*conn, error) {
	dial := t.DialContext
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	nc, err := dial(ctx, "tcp", p.addr)
	if err != nil {
		return nil, err
	}
	if p.scheme != "https" {
		return newConn(nc), nil
	}
	cfg := &tls.Config{}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = p.host
	}
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(nc, cfg)
	hctx := ctx
	if t.TLSHandshakeTimeout > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, t.TLSHandshakeTimeout)
		defer cancel()
	}
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = nc.Close()
		return nil, err
	}
	return newConn(tc), nil
}

// lazyGzip decompresses src, reading gzip's header on the first Read (as
// net/http does), so that a caller that never reads pays nothing.
type lazyGzip struct {
	src io.Reader
	zr  io.Reader
	err error
}

func (g *lazyGzip) Read(p []byte) (int, error) {
	if g.zr == nil && g.err == nil {
		g.zr, g.err = newGzipReader(g.src)
	}
	if g.err != nil {
		return 0, g.err
	}
	return g.zr.Read(p)
}
