package restclient

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStoredBody(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"an envelope is a body too (Workers AI answers in one)", `{"success":true,"errors":[],"messages":[],"result":{"model":"m"}}`, `{"success":true,"errors":[],"messages":[],"result":{"model":"m"}}`},
		{"bare object", ` {"model":"gpt-4o","messages":[]}` + "\n", `{"model":"gpt-4o","messages":[]}`},
		{"success false is a body too", `{"success":false,"errors":[{"code":5006}],"result":null}`, `{"success":false,"errors":[{"code":5006}],"result":null}`},
		{"array", `[{"a":1}]`, `[{"a":1}]`},
		{"string", `"data: {}\n\n"`, `"data: {}\n\n"`},
		{"number", `42`, `42`},
		{"stored without payload: null", `null`, ``},
		{"stored without payload: empty", ``, ``},
		{"stored without payload: blanks", `  `, ``},
	}
	for _, c := range cases {
		got, err := storedBody([]byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	for _, in := range []string{`data: {}`, `{"a":`, `{"success":true,"result":1}x`, `<html>`} {
		if _, err := storedBody([]byte(in)); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%q: err = %v, want ErrMalformedResponse", in, err)
		}
	}
	// The result does not alias the buffer it came from.
	buf := []byte(`{"a":1}`)
	got, _ := storedBody(buf)
	buf[1] = 'X'
	if string(got) != `{"a":1}` {
		t.Error("result aliases the body")
	}
}

func TestLogBodyAgainstFake(t *testing.T) {
	bodies := map[string]string{
		"/request":  `{"success":true,"errors":[],"messages":[],"result":{"messages":[{"role":"user","content":"hi"}]}}`,
		"/response": `{"id":"x","choices":[]}`,
	}
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		for suffix, body := range bodies {
			if strings.HasSuffix(r.URL.Path, suffix) {
				writeJSON(w, 200, body)
				return
			}
		}
		writeJSON(w, 404, errorBody(7002, "Not Found"))
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	creds := Credentials{Token: testToken}
	req, err := c.GetLogRequestBody(context.Background(), creds, testAccount, testGateway, "01ABC")
	if err != nil || string(req) != bodies["/request"] { // as stored, envelope and all
		t.Errorf("request: %s, %v", req, err)
	}
	resp, err := c.GetLogResponseBody(context.Background(), creds, testAccount, testGateway, "01ABC")
	if err != nil || string(resp) != bodies["/response"] {
		t.Errorf("response: %s, %v", resp, err)
	}
	if p := seen.last(t).URL.EscapedPath(); p != "/client/v4/accounts/"+testAccount+"/ai-gateway/gateways/"+testGateway+"/logs/01ABC/response" {
		t.Errorf("path %s", p)
	}
	bodies["/response"] = `not json`
	if _, err := c.GetLogResponseBody(context.Background(), creds, testAccount, testGateway, "01ABC"); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("non-JSON: %v", err)
	}
}

func TestGatewayDecoding(t *testing.T) {
	var answer string
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, answer) })
	c, _ := newTestClient(t, srv, Options{}, false)
	creds := Credentials{Token: testToken}
	list := func() (*GatewayPage, error) {
		return c.ListGateways(context.Background(), creds, testAccount, ListGatewaysParams{})
	}

	// The spec's answer has no result_info; members absent or null decode
	// to nil; unknown members are dropped; 60.0 is an integer.
	answer = `{"success":true,"result":[
		{"id":"a","created_at":"2025-01-02T03:04:05Z","modified_at":"2025-01-03T03:04:05.5+01:00","cache_ttl":null,
		 "cache_invalidate_on_update":true,"collect_logs":true,"rate_limiting_interval":60.0,"rate_limiting_limit":null,
		 "rate_limiting_technique":null,"dlp":null,"otel":[{"url":"https://x"}],"zdr":true},
		{"id":"b","created_at":"2025-01-02T03:04:05Z","modified_at":"2025-01-02T03:04:05Z","cache_ttl":0,
		 "cache_invalidate_on_update":false,"collect_logs":false,"rate_limiting_interval":null,"rate_limiting_limit":null,
		 "dlp":{"enabled":true,"policies":[]},"guardrails":{"prompt":{},"response":{}},"is_default":false}]}`
	pg, err := list()
	if err != nil {
		t.Fatal(err)
	}
	if pg.HasInfo || pg.Info != (ResultInfo{}) || len(pg.Gateways) != 2 {
		t.Fatalf("page %+v", pg)
	}
	a, b := pg.Gateways[0], pg.Gateways[1]
	if a.ID != "a" || !a.CreatedAt.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) || a.ModifiedAt.Location() != time.UTC ||
		!a.ModifiedAt.Equal(time.Date(2025, 1, 3, 2, 4, 5, 5e8, time.UTC)) {
		t.Errorf("a times: %v %v", a.CreatedAt, a.ModifiedAt)
	}
	if a.CacheTTL != nil || a.RateLimitingInterval == nil || *a.RateLimitingInterval != 60 || a.RateLimitingLimit != nil ||
		a.RateLimitingTechnique != nil || a.DLP != nil || a.Guardrails != nil || a.IsDefault != nil || a.ZDR == nil || !*a.ZDR ||
		!a.CollectLogs || !a.CacheInvalidateOnUpdate {
		t.Errorf("a: %+v", a)
	}
	if b.CacheTTL == nil || *b.CacheTTL != 0 || string(b.DLP) != `{"enabled":true,"policies":[]}` ||
		string(b.Guardrails) != `{"prompt":{},"response":{}}` || b.IsDefault == nil || *b.IsDefault {
		t.Errorf("b: %+v", b)
	}

	answer = `{"success":true,"result":null,"result_info":{"page":3,"per_page":10,"count":0,"total_count":20}}`
	if pg, err := list(); err != nil || pg.Gateways == nil || len(pg.Gateways) != 0 || !pg.HasInfo || pg.Info.Page != 3 || pg.Info.TotalCount != 20 {
		t.Errorf("null result: %+v, %v", pg, err)
	}
	for _, bad := range []string{
		`{"success":true,"result":[{"created_at":"2025-01-02T03:04:05Z"}]}`, // no id
		`{"success":true,"result":[{"id":"a","created_at":"yesterday"}]}`,   // bad time
		`{"success":true,"result":[{"id":"a","cache_ttl":1.5}]}`,            // fraction
		`{"success":true,"result":{"id":"a"}}`,                              // not an array
		`{"success":true,"result":[],"result_info":{"page":1,"count":-1}}`,  // negative count
		`{"success":true,"result":[],"result_info":"x"}`,                    // result_info shape
		`{"result":[]}`, // no success
		`{"success":true,"result":[{"id":"a","dlp":{"enabled":true}`, // truncated
	} {
		answer = bad
		if _, err := list(); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}

	// GetGateway: one object, with the same rules.
	answer = `{"success":true,"result":{"id":"g","created_at":"2025-01-02T03:04:05Z","modified_at":"2025-01-02T03:04:05Z","guardrails":null}}`
	g, err := c.GetGateway(context.Background(), creds, testAccount, "g")
	if err != nil || g.ID != "g" || g.Guardrails != nil {
		t.Errorf("GetGateway: %+v, %v", g, err)
	}
	for _, bad := range []string{`{"success":true,"result":null}`, `{"success":true}`, `{"success":true,"result":[]}`, `{"success":true,"result":{}}`} {
		answer = bad
		if _, err := c.GetGateway(context.Background(), creds, testAccount, "g"); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestGetLogDecoding(t *testing.T) {
	var answer string
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, answer) })
	c, _ := newTestClient(t, srv, Options{}, false)
	get := func() (*LogDetail, error) {
		return c.GetLog(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, "L1")
	}
	answer = `{"success":true,"result":{"id":"L1","created_at":"2026-11-26T10:00:00.123Z","provider":"openai","model":"m",
		"path":"p","duration":5,"success":true,"cached":false,"tokens_in":null,"tokens_out":3,"metadata":"{\"a\":1}",
		"request_head":"{\"x\"","request_head_complete":false,"request_size":300.0,"response_head":null,"response_head_complete":false}}`
	d, err := get()
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "L1" || d.TokensIn != nil || *d.TokensOut != 3 || *d.Metadata != `{"a":1}` || *d.RequestHead != `{"x"` ||
		*d.RequestHeadComplete || *d.RequestSize != 300 || d.ResponseHead != nil || d.ResponseHeadComplete == nil ||
		*d.ResponseHeadComplete || d.ResponseSize != nil {
		t.Errorf("detail %+v", d)
	}
	for _, bad := range []string{`{"success":true,"result":null}`, `{"success":true,"result":{"created_at":"2026-11-26T10:00:00Z"}}`,
		`{"success":true,"result":{"id":"L1","created_at":"2026-11-26T10:00:00Z","request_size":"big"}}`, `{"success":true,"result":[]}`} {
		answer = bad
		if _, err := get(); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestLogUpdateBody(t *testing.T) {
	good := []LogUpdate{
		{Feedback: ptr(-1.0)}, {Feedback: ptr(1.0)}, {Feedback: ptr(0.0)}, {Score: ptr(0.0)}, {Score: ptr(100.0)},
		{Metadata: map[string]any{}},
		{Metadata: map[string]any{"s": "x", "b": false, "i": 1, "i8": int8(-2), "u64": uint64(1 << 63), "f32": float32(0.5),
			"f": 1e300, "n": json.Number("12.5"), "": "empty key is a key"}},
	}
	for _, u := range good {
		b, err := u.body()
		if err != nil {
			t.Errorf("%+v: %v", u, err)
			continue
		}
		if _, err := json.Marshal(b); err != nil {
			t.Errorf("%+v: body does not encode: %v", u, err)
		}
	}
	bad := map[string]LogUpdate{
		"empty":               {},
		"feedback 2":          {Feedback: ptr(2.0)},
		"feedback -1.5":       {Feedback: ptr(-1.5)},
		"feedback NaN":        {Feedback: ptr(math.NaN())},
		"feedback +Inf":       {Feedback: ptr(math.Inf(1))},
		"score -1":            {Score: ptr(-1.0)},
		"score 100.01":        {Score: ptr(100.01)},
		"score NaN":           {Score: ptr(math.NaN())},
		"metadata object":     {Metadata: map[string]any{"a": map[string]any{"b": 1}}},
		"metadata array":      {Metadata: map[string]any{"a": []any{1}}},
		"metadata nil":        {Metadata: map[string]any{"a": nil}},
		"metadata struct":     {Metadata: map[string]any{"a": struct{}{}}},
		"metadata pointer":    {Metadata: map[string]any{"a": ptr("x")}},
		"metadata NaN":        {Metadata: map[string]any{"a": math.NaN()}},
		"metadata f32 Inf":    {Metadata: map[string]any{"a": float32(math.Inf(-1))}},
		"metadata bad Number": {Metadata: map[string]any{"a": json.Number("1x")}},
		"metadata bad UTF-8":  {Metadata: map[string]any{"a": "\xff"}},
		"metadata bad key":    {Metadata: map[string]any{"\xff": "a"}},
		"valid + invalid":     {Score: ptr(5.0), Feedback: ptr(3.0)},
	}
	for name, u := range bad {
		if _, err := u.body(); !IsInvalidInput(err) {
			t.Errorf("%s: err = %v, want *InvalidInputError", name, err)
		}
	}
}

func TestUpdateLogWire(t *testing.T) {
	var status int
	var answer string
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, status, answer) })
	c, fs := newTestClient(t, srv, Options{}, false)
	creds := Credentials{Token: testToken}
	update := func() error {
		return c.UpdateLog(context.Background(), creds, testAccount, testGateway, "01J_x-Y", LogUpdate{Score: ptr(9.5), Feedback: ptr(-1.0)})
	}
	for _, ok := range []struct {
		status int
		body   string
	}{{200, `{"success":true,"errors":[],"messages":[],"result":{}}`}, {204, ``}, {200, `{"success":true,"result":null}`}} {
		status, answer = ok.status, ok.body
		if err := update(); err != nil {
			t.Errorf("%d %q: %v", ok.status, ok.body, err)
		}
	}
	// (The body sent is checked against cfsim, which records it.)
	r := seen.last(t)
	if r.Method != http.MethodPatch || r.URL.EscapedPath() != "/client/v4/accounts/"+testAccount+"/ai-gateway/gateways/"+testGateway+"/logs/01J_x-Y" ||
		r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("request %s %s %v", r.Method, r.URL, r.Header)
	}

	status, answer = 200, `{"success":false,"errors":[{"code":1,"message":"no"}]}`
	if err := update(); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("success:false: %v", err)
	}
	status, answer = 200, `nope`
	if err := update(); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("non-JSON: %v", err)
	}
	// Not retried, whatever the status.
	for _, st := range []int{429, 500, 502, 503} {
		n := seen.count()
		status, answer = st, errorBody(10001, "boom")
		if err := update(); err == nil {
			t.Fatalf("%d: no error", st)
		}
		if seen.count() != n+1 {
			t.Errorf("%d: %d requests, want 1", st, seen.count()-n)
		}
	}
	if len(fs.recorded()) != 0 {
		t.Errorf("waited %v before retrying a PATCH", fs.recorded())
	}
}

func TestValidateLogID(t *testing.T) {
	for _, id := range []string{"a", "01JDXM5Q2K8YV6T9R3W4Z7B1NC", "x_y-z", strings.Repeat("Z", 128)} {
		if err := ValidateLogID(id); err != nil {
			t.Errorf("%q: %v", id, err)
		}
	}
	for _, id := range []string{"", strings.Repeat("a", 129), "a.b", "..", ".", "a/b", "a%2Fb", "a b", "a?b", "a#b", "é", "a\x00"} {
		var ie *InvalidInputError
		if err := ValidateLogID(id); !errors.As(err, &ie) || ie.Field != "logID" {
			t.Errorf("%q: %v", id, err)
		}
	}
}

// FuzzStoredBody: whatever the bodies endpoints answer, the client returns
// valid JSON, nothing, or ErrMalformedResponse, never panics.
func FuzzStoredBody(f *testing.F) {
	for _, s := range []string{`{"success":true,"result":{}}`, `{}`, `[]`, `"x"`, ``, `{"success":true,"result":`, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := storedBody(body)
		switch {
		case err != nil && !errors.Is(err, ErrMalformedResponse):
			t.Fatalf("err = %v", err)
		case err == nil && got != nil && !json.Valid(got):
			t.Fatalf("returned invalid JSON %q", got)
		}
	})
}
