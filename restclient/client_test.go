package restclient

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/internal/inlinehttp"
)

func TestNewValidatesOptions(t *testing.T) {
	for _, base := range []string{
		"ftp://example.com", "example.com/client/v4", "http://", "https://user:pw@api.example.com",
		"https://api.example.com/?x=1", "https://api.example.com/#f", "https://api.example.com/?", "::",
	} {
		if _, err := New(Options{BaseURL: base}); !IsInvalidInput(err) {
			t.Errorf("BaseURL %q: got %v", base, err)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("error reveals user info: %v", err)
		}
	}
	if _, err := New(Options{MaxBackoff: -1}); !IsInvalidInput(err) {
		t.Errorf("negative MaxBackoff: %v", err)
	}
	if _, err := New(Options{RetryBudget: -1}); !IsInvalidInput(err) {
		t.Errorf("negative RetryBudget: %v", err)
	}
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.hc.CloseIdleConnections()
	if c.base != DefaultBaseURL || c.maxRetries != 3 || c.maxBackoff != 5*time.Second || c.retryBudget != 10*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	c2, err := New(Options{BaseURL: "http://127.0.0.1:1/v4/", MaxRetries: -1})
	if err != nil || c2.base != "http://127.0.0.1:1/v4" || c2.maxRetries != 0 {
		t.Errorf("got %+v, %v", c2, err)
	}
}

func TestEndToEndFullLog(t *testing.T) {
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, fullLogBody) })
	c, _ := newTestClient(t, srv, Options{}, false)
	page, err := c.ListLogs(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{MetaInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	want := wantFullPage()
	if page.Logs[0].ID != want.Logs[0].ID || *page.Info.MaxTotalTokens != 300 || page.Info.TotalCount != 1000 {
		t.Errorf("page = %+v", page)
	}
}

// Go's transport asks for gzip and inflates by itself as long as the client
// does not set Accept-Encoding.
func TestGzipTransparent(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			writeJSON(w, 200, emptyPage)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		_, _ = io.WriteString(gz, fullLogBody)
		_ = gz.Close()
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	page, err := c.ListLogs(context.Background(), Credentials{}, testAccount, testGateway, ListLogsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Logs) != 1 || !strings.Contains(seen.last(t).Header.Get("Accept-Encoding"), "gzip") {
		t.Errorf("gzip not negotiated: %d logs", len(page.Logs))
	}
}

// Bodies are read to EOF and closed: sequential calls, errors included, reuse
// one connection.
func TestConnectionReuse(t *testing.T) {
	var conns, n atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			writeJSON(w, 404, errorBody(7002, "Not Found")+strings.Repeat(" ", 10000))
			return
		}
		writeJSON(w, 200, fullLogBody)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv, Options{}, false)
	for i := 0; i < 6; i++ {
		_, _ = c.ListLogs(context.Background(), Credentials{}, testAccount, testGateway, ListLogsParams{})
	}
	if got := conns.Load(); got != 1 || n.Load() != 6 {
		t.Errorf("%d connections for %d sequential calls, want 1", got, n.Load())
	}
}

func TestBodyTooLarge(t *testing.T) {
	const limit = 1 << 20 // for the test's client; the same check as maxBodyBytes
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"success":true,"result":[`)
		chunk := strings.Repeat(`{"id":"a","created_at":"2025-01-02T03:04:05Z"},`, 1000)
		for written := 0; written <= limit; written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	c.maxBody = limit
	_, err := c.ListLogs(context.Background(), Credentials{}, testAccount, testGateway, ListLogsParams{})
	if !errors.Is(err, ErrMalformedResponse) || !errors.Is(err, ErrAnswerTooLarge) {
		t.Fatalf("got %v", err)
	}
	if seen.count() != 1 {
		t.Errorf("an oversized answer was retried: %d requests", seen.count())
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var other atomic.Int32
	target, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		other.Add(1)
		writeJSON(w, 200, emptyPage)
	})
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		http.Redirect(w, r, target.URL+"/steal", http.StatusFound)
	})
	for _, hc := range []*http.Client{nil, {}} {
		c, _ := newTestClient(t, srv, Options{HTTPClient: hc}, false)
		_, err := c.ListLogs(context.Background(), Credentials{Email: "a@b.c", Key: testKey}, testAccount, testGateway, ListLogsParams{})
		if e, ok := AsError(err); !ok || e.StatusCode != http.StatusFound {
			t.Errorf("got %v", err)
		}
	}
	if other.Load() != 0 {
		t.Error("a redirect was followed (and would have carried X-Auth-Key)")
	}
}

// do is generic: it sends a JSON body and decodes `result` into any value.
func TestDoGeneric(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPatch || r.Header.Get("Content-Type") != "application/json" || string(body) != `{"feedback":1}` {
			writeJSON(w, 400, errorBody(1, "bad: "+string(body)))
			return
		}
		writeJSON(w, 200, `{"success":true,"errors":[],"messages":[],"result":{"id":"log1","feedback":1}}`)
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	var out struct {
		ID       string `json:"id"`
		Feedback int    `json:"feedback"`
	}
	err := c.do(context.Background(), Credentials{Token: testToken}, http.MethodPatch,
		"/accounts/a/ai-gateway/gateways/g/logs/log1", nil, map[string]int{"feedback": 1}, &out)
	if err != nil || out.ID != "log1" || out.Feedback != 1 {
		t.Fatalf("out = %+v, err = %v", out, err)
	}
	if seen.last(t).URL.RawQuery != "" {
		t.Errorf("unexpected query %q", seen.last(t).URL.RawQuery)
	}
	var wrong []string
	err = c.do(context.Background(), Credentials{}, http.MethodPatch, "/accounts/a/ai-gateway/gateways/g/logs/log1", nil, map[string]int{"feedback": 1}, &wrong)
	if !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("shape mismatch: %v", err)
	}
	if err := c.do(context.Background(), Credentials{}, http.MethodPatch, "/p", nil, json.RawMessage(`{`), nil); !IsInvalidInput(err) {
		t.Errorf("unencodable body: %v", err)
	}
}

func TestNewHTTPClient(t *testing.T) {
	hc := NewHTTPClient(0)
	tr, ok := hc.Transport.(*inlinehttp.Transport)
	if !ok {
		t.Fatalf("transport %T", hc.Transport)
	}
	if tr.MaxConnsPerHost != defaultMaxConnsPerHost || tr.TLSHandshakeTimeout == 0 ||
		tr.ResponseHeaderTimeout == 0 || tr.DisableCompression || tr.Proxy == nil || hc.CheckRedirect == nil {
		t.Errorf("transport not tuned: %+v", tr)
	}
	proxied, ok := tr.Fallback.(*http.Transport)
	if !ok || proxied.Proxy == nil || !proxied.ForceAttemptHTTP2 || proxied.MaxConnsPerHost != defaultMaxConnsPerHost {
		t.Errorf("proxied requests' transport not tuned: %+v", tr.Fallback)
	}
	if NewHTTPClient(64).Transport.(*inlinehttp.Transport).MaxConnsPerHost != 64 {
		t.Error("maxConnsPerHost ignored")
	}
}
