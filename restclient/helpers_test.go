package restclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testAccount = "0d37909e38d3e99c29fa2cd343ac421a"
	testGateway = "my-gateway"
	testToken   = "tok_SECRET_0123456789abcdef"
	testKey     = "key_SECRET_fedcba9876543210"
)

// seen records what the fake upstream received.
type seen struct {
	mu   sync.Mutex
	n    atomic.Int32
	reqs []*http.Request
}

func (s *seen) add(r *http.Request) {
	s.n.Add(1)
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
	s.mu.Unlock()
}

func (s *seen) count() int { return int(s.n.Load()) }

func (s *seen) last(t *testing.T) *http.Request {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("the fake upstream saw no request")
	}
	return s.reqs[len(s.reqs)-1]
}

// newUpstream starts a loopback fake whose handler gets the request number
// (1-based) of each call.
func newUpstream(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		h(w, r, s.count())
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

// fakeSleeper records waits instead of sleeping.
type fakeSleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleeper) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return nil
}

func (f *fakeSleeper) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// newTestClient points a Client at srv (under a /client/v4 prefix, like the
// real base URL) and, unless real is set, replaces sleeping by a recorder.
func newTestClient(t *testing.T, srv *httptest.Server, opts Options, real bool) (*Client, *fakeSleeper) {
	t.Helper()
	opts.BaseURL = srv.URL + "/client/v4"
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.hc.CloseIdleConnections)
	fs := &fakeSleeper{}
	if !real {
		c.sleep = fs.sleep
	}
	return c, fs
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func errorBody(code int, msg string) string {
	return `{"success":false,"errors":[{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `"}],"messages":[],"result":null}`
}

const emptyPage = `{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"count":0,"page":1,"per_page":20,"total_count":0}}`

func ptr[T any](v T) *T { return &v }
