package cfsim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// testNow is the fixed clock of most tests, so data are reproducible.
var testNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// clock is a settable clock for tests that move time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a Server behind a real loopback listener.
type fixture struct {
	t  *testing.T
	s  *Server
	ts *httptest.Server
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &fixture{t: t, s: s, ts: ts}
}

func (f *fixture) logsURL(gw string) string {
	return f.ts.URL + "/client/v4/accounts/" + f.s.AccountID() + "/ai-gateway/gateways/" + gw + "/logs"
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; hdr are header name/value pairs. With no hdr, the
// demo token is sent.
func (f *fixture) do(ctx context.Context, method, rawURL string, hdr ...string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(hdr) == 0 {
		hdr = []string{"Authorization", "Bearer " + DemoToken}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}, err
}

func (f *fixture) get(rawURL string, hdr ...string) response {
	f.t.Helper()
	r, err := f.do(context.Background(), http.MethodGet, rawURL, hdr...)
	if err != nil {
		f.t.Fatalf("GET %s: %v", rawURL, err)
	}
	return r
}

// listAnswer is a decoded 200 list answer.
type listAnswer struct {
	Success    bool                       `json:"success"`
	Result     []Log                      `json:"result"`
	Raw        []map[string]any           `json:"-"`
	ResultInfo map[string]json.RawMessage `json:"result_info"`
}

func (a listAnswer) info(key string) (float64, bool) {
	raw, ok := a.ResultInfo[key]
	if !ok {
		return 0, false
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		panic(err)
	}
	return v, true
}

// list fetches one page and fails the test unless it is a 200 list answer.
func (f *fixture) list(gw string, q url.Values) listAnswer {
	f.t.Helper()
	r := f.get(f.logsURL(gw) + "?" + q.Encode())
	if r.status != http.StatusOK {
		f.t.Fatalf("GET ?%s: status %d: %s", q.Encode(), r.status, r.body)
	}
	var a listAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		f.t.Fatalf("decode: %v: %s", err, r.body)
	}
	var raw struct {
		Result []map[string]any `json:"result"`
	}
	json.Unmarshal(r.body, &raw)
	a.Raw = raw.Result
	if !a.Success || a.Result == nil {
		f.t.Fatalf("not a success answer: %s", r.body)
	}
	return a
}

// listAll pages through a query with per_page=50 and returns every id in
// answer order plus the total_count the first page reported.
func (f *fixture) listAll(gw string, q url.Values) (ids []string, total int) {
	f.t.Helper()
	q = cloneValues(q)
	q.Set("per_page", "50")
	for page := 1; ; page++ {
		q.Set("page", itoaT(page))
		r := f.get(f.logsURL(gw) + "?" + q.Encode())
		// Decode only what is needed: these tests make thousands of calls.
		var a struct {
			Result []struct {
				ID string `json:"id"`
			} `json:"result"`
			ResultInfo struct {
				TotalCount int `json:"total_count"`
			} `json:"result_info"`
		}
		if err := json.Unmarshal(r.body, &a); r.status != http.StatusOK || err != nil || a.Result == nil {
			f.t.Fatalf("GET ?%s: status %d: %s", q.Encode(), r.status, r.body)
		}
		if page == 1 {
			total = a.ResultInfo.TotalCount
		}
		for _, l := range a.Result {
			ids = append(ids, l.ID)
		}
		if len(a.Result) < 50 {
			return ids, total
		}
	}
}

// envelopeOf decodes an error answer and checks its shape.
type errEnvelope struct {
	Success  *bool            `json:"success"`
	Errors   []map[string]any `json:"errors"`
	Messages []any            `json:"messages"`
	Result   any              `json:"result"`
}

func decodeError(t *testing.T, r response) errEnvelope {
	t.Helper()
	var e errEnvelope
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, r.body)
	}
	if e.Success == nil || *e.Success || len(e.Errors) == 0 || e.Messages == nil || e.Result != nil {
		t.Fatalf("not a Cloudflare error envelope: %s", r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return e
}

// wantError asserts status and the first error's code (0: no code member).
func wantError(t *testing.T, r response, status, code int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	e := decodeError(t, r)
	got, has := e.Errors[0]["code"]
	switch {
	case code == 0 && has:
		t.Errorf("errors[0] has code %v, want none: %s", got, r.body)
	case code != 0 && got != float64(code):
		t.Errorf("errors[0].code %v, want %d: %s", got, code, r.body)
	}
	if m, _ := e.Errors[0]["message"].(string); m == "" {
		t.Errorf("errors[0] has no message: %s", r.body)
	}
}

func cloneValues(q url.Values) url.Values {
	c := url.Values{}
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	return c
}

func itoaT(i int) string { return strconv.Itoa(i) }

func filtersQ(fs ...Filter) url.Values {
	b, _ := json.Marshal(fs)
	return url.Values{"filters": {string(b)}}
}

func idsOf(logs []Log) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = l.ID
	}
	return out
}

// awaitRequests waits until n requests are recorded (a request is recorded
// when its handler returns, which can be just after its client gave up or
// saw the connection drop), then checks there are exactly n. The bound is
// a failure's, not a timing goal.
func awaitRequests(t *testing.T, s *Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.AwaitRequests(ctx, n); err != nil {
		t.Fatalf("%d requests recorded, want %d: %v", s.RequestCount(), n, err)
	}
	if got := s.RequestCount(); got != n {
		t.Fatalf("%d requests recorded, want %d", got, n)
	}
}
