package inlinehttp

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// server is an httptest server on loopback that counts the connections
// it accepted.
type server struct {
	*httptest.Server
	conns atomic.Int32
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, tr http.RoundTripper, u string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("GET %s: body: %v", u, err)
	}
	return resp, string(b)
}

// Every way a body can be framed reads whole, and a connection is used
// again for the next request unless the answer said otherwise.
func TestBodiesAndKeepAlive(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			io.WriteString(w, big)
		case "/chunked":
			for i := 0; i < 4; i++ {
				io.WriteString(w, big[:1000])
				w.(http.Flusher).Flush()
			}
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		}
	})
	tr := &Transport{}
	for i := 0; i < 3; i++ {
		if _, b := get(t, tr, s.URL+"/length"); b != big {
			t.Fatalf("content-length body: %d bytes", len(b))
		}
		if _, b := get(t, tr, s.URL+"/chunked"); b != strings.Repeat(big[:1000], 4) {
			t.Fatalf("chunked body: %d bytes", len(b))
		}
		if resp, b := get(t, tr, s.URL+"/empty"); resp.StatusCode != http.StatusNoContent || b != "" {
			t.Fatalf("no content: %d %q", resp.StatusCode, b)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("9 sequential requests opened %d connections, want 1", n)
	}
	get(t, tr, s.URL+"/close")
	get(t, tr, s.URL+"/length")
	if n := s.conns.Load(); n != 2 {
		t.Fatalf("after Connection: close, %d connections, want a second one", n)
	}
}

// A request body is sent whole; the request itself is left as it was.
func TestRequestBodyAndHeaders(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s %s", r.Method, r.URL.RequestURI(), r.Header.Get("X-Token"), b)
	})
	req, _ := http.NewRequest(http.MethodPatch, s.URL+"/logs/1?x=%20y", strings.NewReader(`{"feedback":1}`))
	req.Header.Set("X-Token", "t")
	resp, err := (&Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want := `PATCH /logs/1?x=%20y t {"feedback":1}`; string(b) != want {
		t.Fatalf("server saw %q, want %q", b, want)
	}
	if req.Header.Get("Accept-Encoding") != "" || resp.Request != req {
		t.Fatalf("the request was changed (%v) or not returned in the response", req.Header)
	}
}

// A keep-alive connection the server closed while idle is replaced
// without the caller seeing it, for requests that can be sent twice; a
// POST is not sent twice.
func TestServerClosedIdleConnection(t *testing.T) {
	var posts atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		io.WriteString(w, "ok")
	})
	tr := &Transport{}
	get(t, tr, s.URL)
	s.CloseClientConnections() // the server drops the idle connection
	if _, b := get(t, tr, s.URL); b != "ok" {
		t.Fatalf("after the server closed the idle connection: %q", b)
	}
	s.CloseClientConnections()
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader("x"))
	if resp, err := tr.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Fatal("a POST on a dead connection succeeded: it must fail rather than risk being sent twice")
	}
	if n := posts.Load(); n != 0 {
		t.Fatalf("the server saw %d POSTs", n)
	}
}

// A gzipped answer to a request that asked for nothing is decompressed,
// as net/http does; one the caller asked for itself is left alone.
func TestGzip(t *testing.T) {
	text := strings.Repeat(`{"id":"log"}`, 500)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			io.WriteString(w, text)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, text)
		zw.Close()
	})
	tr := &Transport{}
	for i := 0; i < 2; i++ {
		resp, b := get(t, tr, s.URL)
		if b != text || !resp.Uncompressed || resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("decompressed %d bytes (uncompressed %v, encoding %q)", len(b), resp.Uncompressed, resp.Header.Get("Content-Encoding"))
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("gzipped answers: %d connections, want 1 (the connection is clean after the trailer)", n)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || bytes.Equal(raw, []byte(text)) {
		t.Fatal("an answer the caller asked gzip for was decompressed")
	}
	(&Transport{DisableCompression: true}).RoundTrip(req)
}

// Informational answers before the real one are skipped.
func TestInformationalAnswersAreSkipped(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</a.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		io.WriteString(w, "final")
	})
	if resp, b := get(t, &Transport{}, s.URL); resp.StatusCode != http.StatusOK || b != "final" {
		t.Fatalf("%d %q", resp.StatusCode, b)
	}
}

// https works over TLS with only HTTP/1.1 offered.
func TestTLS(t *testing.T) {
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Proto)
	}))
	s.EnableHTTP2 = true
	s.StartTLS()
	defer s.Close()
	tr := &Transport{TLSClientConfig: s.Client().Transport.(*http.Transport).TLSClientConfig, TLSHandshakeTimeout: 5 * time.Second}
	resp, b := get(t, tr, s.URL)
	if b != "HTTP/1.1" || resp.TLS == nil || resp.TLS.NegotiatedProtocol == "h2" {
		t.Fatalf("proto %q, TLS %v", b, resp.TLS != nil)
	}
}

// Requests through a proxy, and other schemes, go to Fallback.
func TestFallback(t *testing.T) {
	var got []string
	fb := roundTripperFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	tr := &Transport{Fallback: fb, Proxy: func(r *http.Request) (*url.URL, error) {
		if r.URL.Host == "proxied.test" {
			return url.Parse("http://proxy.test:3128")
		}
		return nil, nil
	}}
	for _, u := range []string{"http://proxied.test/x", "ftp://files.test/y"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("fallback saw %v", got)
	}
	req, _ := http.NewRequest(http.MethodGet, "ftp://files.test/y", nil)
	if _, err := (&Transport{}).RoundTrip(req); !errors.Is(err, errNoFallback) {
		t.Fatalf("without a fallback: %v", err)
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A 101 answer hands the connection to the caller, who reads and writes
// it (a WebSocket handshake, say), and it leaves the pool.
func TestSwitchingProtocols(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		line, _ := brw.ReadString('\n')
		io.WriteString(conn, "echo: "+line)
	})
	tr := &Transport{}
	req, _ := http.NewRequest(http.MethodGet, s.URL, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if resp.StatusCode != http.StatusSwitchingProtocols || !ok {
		t.Fatalf("%d, body %T", resp.StatusCode, resp.Body)
	}
	io.WriteString(rw, "hello\n")
	got, _ := io.ReadAll(rw)
	rw.Close()
	if string(got) != "echo: hello\n" {
		t.Fatalf("read %q", got)
	}
	if _, b := get(t, tr, s.URL+"/plain"); b != "" {
		t.Fatalf("next request: %q", b)
	}
	if n := s.conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2: the switched one is not pooled", n)
	}
}
