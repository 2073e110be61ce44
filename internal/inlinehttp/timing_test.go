package inlinehttp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// pipeNet serves h over net.Pipe connections, whose reads and writes block
// durably, so that a synctest bubble fakes time across the exchanges.
type pipeNet struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	dials atomic.Int32
}

func servePipes(t *testing.T, h http.HandlerFunc) (*Transport, *pipeNet) {
	t.Helper()
	n := &pipeNet{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: h}
	go srv.Serve(n)
	tr := &Transport{DialContext: n.dial}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return tr, n
}

func (n *pipeNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case n.conns <- server:
		n.dials.Add(1)
		return client, nil
	case <-n.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (n *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-n.conns:
		return c, nil
	case <-n.done:
		return nil, net.ErrClosed
	}
}
func (n *pipeNet) Close() error   { n.once.Do(func() { close(n.done) }); return nil }
func (n *pipeNet) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

const pipeURL = "http://upstream.test/"

func roundTrip(ctx context.Context, tr *Transport, path string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, pipeURL+path, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// A context that ends stops the exchange at once, whether it waits on the
// answer's head or on its body, and the connection is not used again.
func TestContextEndsTheExchange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr, n := servePipes(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/body" {
				w.Header().Set("Content-Length", "10")
				io.WriteString(w, "12345")
				w.(http.Flusher).Flush()
			}
			if r.URL.Path != "/next" {
				<-r.Context().Done()
			}
		})
		for _, path := range []string{"head", "body"} {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			start := time.Now()
			go func() { _, err := roundTrip(ctx, tr, path); done <- err }()
			synctest.Wait() // the exchange waits on the server
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: err = %v, want context.Canceled", path, err)
			}
			if d := time.Since(start); d != 0 {
				t.Fatalf("%s: the cancelled exchange ended after %v, want at once", path, d)
			}
		}
		if _, err := roundTrip(context.Background(), tr, "next"); err != nil {
			t.Fatal(err)
		}
		if d := n.dials.Load(); d != 3 {
			t.Fatalf("%d connections dialled, want 3: a cancelled exchange's connection is not used again", d)
		}
	})
}

// ResponseHeaderTimeout bounds the wait for the answer's head, not the
// reading of its body.
func TestResponseHeaderTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr, _ := servePipes(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slowhead" {
				select { // the client gives up first, and closes the connection
				case <-time.After(time.Minute):
				case <-r.Context().Done():
					return
				}
			}
			w.Header().Set("Content-Length", "2")
			io.WriteString(w, "a")
			w.(http.Flusher).Flush()
			time.Sleep(time.Minute)
			io.WriteString(w, "b")
		})
		tr.ResponseHeaderTimeout = 10 * time.Second
		start := time.Now()
		if _, err := roundTrip(context.Background(), tr, "slowhead"); err == nil || time.Since(start) != 10*time.Second {
			t.Fatalf("slow head: err %v after %v, want a timeout after 10s", err, time.Since(start))
		}
		start = time.Now()
		if b, err := roundTrip(context.Background(), tr, "slowbody"); err != nil || b != "ab" || time.Since(start) != time.Minute {
			t.Fatalf("slow body: %q, %v after %v, want the whole body after a minute", b, err, time.Since(start))
		}
	})
}

// At MaxConnsPerHost, requests wait for a connection instead of opening
// more, and all are answered; one waiting gives up with its context.
func TestMaxConnsPerHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var inFlight, most atomic.Int32
		tr, n := servePipes(t, func(w http.ResponseWriter, r *http.Request) {
			c := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); c > m && !most.CompareAndSwap(m, c); m = most.Load() {
			}
			time.Sleep(time.Second)
			io.WriteString(w, "ok")
		})
		tr.MaxConnsPerHost = 2
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Go(func() {
				if b, err := roundTrip(context.Background(), tr, ""); err != nil || b != "ok" {
					t.Errorf("%q, %v", b, err)
				}
			})
		}
		synctest.Wait() // two exchanges under way, eight waiting
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if _, err := roundTrip(ctx, tr, ""); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a waiter past its deadline: %v", err)
		}
		wg.Wait()
		if d, m := n.dials.Load(), most.Load(); d != 2 || m != 2 {
			t.Fatalf("%d connections, %d exchanges at once; want 2 and 2", d, m)
		}
		if took := time.Since(start); took != 5*time.Second {
			t.Fatalf("10 one-second exchanges over 2 connections took %v, want 5s", took)
		}
	})
}

// A connection idle for longer than IdleConnTimeout is not used again.
func TestIdleConnTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr, n := servePipes(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
		tr.IdleConnTimeout = time.Minute
		roundTrip(context.Background(), tr, "")
		time.Sleep(30 * time.Second)
		roundTrip(context.Background(), tr, "")
		if d := n.dials.Load(); d != 1 {
			t.Fatalf("after 30s idle: %d connections, want 1", d)
		}
		time.Sleep(2 * time.Minute)
		roundTrip(context.Background(), tr, "")
		if d := n.dials.Load(); d != 2 {
			t.Fatalf("after 2 minutes idle: %d connections, want a new one", d)
		}
	})
}
