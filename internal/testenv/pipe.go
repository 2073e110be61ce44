package testenv

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/aigw/gqlfacade/internal/inlinehttp"

	"github.com/aigw/gqlfacade/restclient"
)

// PipeHost is the host of an upstream served by Pipe; nothing resolves it,
// the transport Pipe returns dials the in-memory network whatever the URL.
const PipeHost = "http://upstream.test"

// Pipe serves h over an in-memory network and returns restclient's tuned
// transport dialling it, for the API base URL PipeHost+APIPath. Its
// connections are net.Pipe pairs, whose reads and writes block durably, so
// a testing/synctest bubble can fake time across real HTTP exchanges
// (loopback sockets would stall its clock). Call it inside the bubble; it
// stops with the test.
func Pipe(t testing.TB, h http.Handler) http.RoundTripper {
	t.Helper()
	return PipeServer(t, &http.Server{Handler: h})
}

// PipeServer is Pipe for a server of the test's own (one with timeouts and
// shutdown hooks, as a service ships): the server is closed when the test
// ends, unless the test shut it down first.
func PipeServer(t testing.TB, srv *http.Server) http.RoundTripper {
	t.Helper()
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	tr := restclient.NewHTTPClient(0).Transport.(*inlinehttp.Transport).Clone()
	tr.Proxy, tr.DialContext, tr.Fallback = nil, l.dial, nil
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = srv.Close()
		<-served
	})
	return tr
}

type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
