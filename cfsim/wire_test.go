package cfsim

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"sync/atomic"
	"testing"
	"time"
)

var createdAtRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// The default answer is page 1 of 20 in created_at desc order, and every
// item has exactly the upstream's shape.
func TestListWireFormat(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.get(f.logsURL("prod-chat"))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if got := r.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: %q", got)
	}
	// The first call of this credential in its window: 1199 of 1200 left,
	// the window resetting in 5 minutes.
	for h, want := range map[string]string{"Ratelimit": `"default";r=1199;t=300`, "Ratelimit-Policy": `"default";q=1200;w=300`} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"success", "result", "result_info"} {
		if _, ok := top[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	a := f.list("prod-chat", nil)
	var want []Log
	for _, l := range f.s.Logs("prod-chat")[:20] {
		want = append(want, listPart(l))
	}
	if !reflect.DeepEqual(a.Result, want) {
		t.Fatalf("default page differs from Logs()[:20]")
	}
	var info map[string]any
	json.Unmarshal(top["result_info"], &info)
	if !reflect.DeepEqual(info, map[string]any{"count": 20.0, "page": 1.0, "per_page": 20.0, "total_count": 2500.0}) {
		t.Errorf("result_info %v", info)
	}
	required := []string{"id", "created_at", "provider", "model", "path", "duration", "success", "cached", "tokens_in", "tokens_out"}
	hidden := []string{"feedback", "event_id", "authentication", "wholesale", "compatibilityMode", "dlp_action",
		"user_agent", "request_head", "response_head", "request_size", "response_size"}
	for _, item := range a.Raw {
		for _, k := range required {
			if _, ok := item[k]; !ok {
				t.Errorf("item lacks required %q: %v", k, item)
			}
		}
		for _, k := range hidden {
			if _, ok := item[k]; ok {
				t.Errorf("list item has non-list field %q", k)
			}
		}
		if s, _ := item["created_at"].(string); !createdAtRE.MatchString(s) {
			t.Errorf("created_at %q is not RFC 3339 with milliseconds in UTC", item["created_at"])
		}
		if md, ok := item["metadata"]; ok {
			s, isStr := md.(string)
			var obj map[string]any
			if !isStr || json.Unmarshal([]byte(s), &obj) != nil {
				t.Errorf("metadata %v is not a string holding a JSON object", md)
			}
		}
	}
}

func TestLogMarshalJSON(t *testing.T) {
	l := Log{ID: "X", CreatedAt: time.Date(2026, 11, 26, 10, 0, 0, 120_000_000, time.FixedZone("CET", 3600)),
		Provider: "openai", Model: "gpt-4o", Path: "v1/chat/completions", Feedback: ptr(1.0)}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"X","created_at":"2026-11-26T09:00:00.120Z","provider":"openai","model":"gpt-4o","path":"v1/chat/completions","duration":0,"success":false,"cached":false,"tokens_in":null,"tokens_out":null}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	bp, _ := json.Marshal(&l)
	if string(bp) != want {
		t.Fatal("*Log marshals differently from Log")
	}
}

func TestDetail(t *testing.T) {
	clk := &clock{t: testNow}
	f := newFixture(t, Options{Now: clk.Now, LogsPerGateway: 100})
	old := f.s.Logs("staging")[10]
	r := f.get(f.logsURL("staging") + "/" + old.ID)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var d struct {
		Success bool           `json:"success"`
		Result  map[string]any `json:"result"`
	}
	json.Unmarshal(r.body, &d)
	var asLog struct {
		Result Log `json:"result"`
	}
	json.Unmarshal(r.body, &asLog)
	if !d.Success || !reflect.DeepEqual(asLog.Result, listPart(old)) {
		t.Fatalf("detail list fields differ: %s", r.body)
	}
	if d.Result["request_head"] != old.RequestHead || d.Result["response_head"] != old.ResponseHead ||
		d.Result["request_head_complete"] != old.RequestHeadComplete || d.Result["response_head_complete"] != old.ResponseHeadComplete ||
		d.Result["request_size"] != float64(old.RequestSize) || d.Result["response_size"] != float64(old.ResponseSize) {
		t.Fatalf("detail fields wrong: %v", d.Result)
	}

	// A fresh log's response_head is null for a few seconds.
	fresh := f.s.Append("staging", 1)[0]
	r = f.get(f.logsURL("staging") + "/" + fresh.ID)
	json.Unmarshal(r.body, &d)
	if v, ok := d.Result["response_head"]; !ok || v != nil || d.Result["response_head_complete"] != false {
		t.Fatalf("fresh log: response_head %v (present %v), want null", v, ok)
	}
	clk.Advance(5 * time.Second)
	r = f.get(f.logsURL("staging") + "/" + fresh.ID)
	json.Unmarshal(r.body, &d)
	if d.Result["response_head"] != fresh.ResponseHead {
		t.Fatalf("response_head still %v after 5s", d.Result["response_head"])
	}

	wantError(t, f.get(f.logsURL("staging")+"/01NOTALOGID0000000000000000"), http.StatusNotFound, codeNotFound)
	wantError(t, f.get(f.logsURL("prod-chat")+"/"+old.ID), http.StatusNotFound, codeNotFound) // other gateway
	wantError(t, f.get(f.logsURL("nope")+"/"+old.ID), http.StatusNotFound, codeNotFound)
}

// listPart zeroes the fields a list/detail answer does not carry, so a
// decoded answer can be compared with a Log from Logs().
func listPart(l Log) Log {
	var c Log
	b, _ := json.Marshal(l)
	json.Unmarshal(b, &c)
	return c
}

// TestRatelimitHeaderCounts: the header counts each credential's calls in
// its own window, and starts over when the window ends.
func TestRatelimitHeaderCounts(t *testing.T) {
	var clock atomic.Int64 // the simulator's clock, in Unix nanoseconds
	clock.Store(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC).UnixNano())
	f := newFixture(t, Options{LogsPerGateway: 5, Tokens: []string{"tok-b"}, RateLimit: 3, RateWindow: time.Minute,
		Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	want := []string{`"default";r=2;t=60`, `"default";r=1;t=60`, `"default";r=0;t=60`, `"default";r=0;t=60`}
	for i, w := range want {
		if got := f.get(f.logsURL("staging")).header.Get("Ratelimit"); got != w {
			t.Fatalf("call %d: %q, want %q", i+1, got, w)
		}
	}
	if got := f.get(f.logsURL("staging"), "Authorization", "Bearer tok-b").header.Get("Ratelimit"); got != `"default";r=2;t=60` {
		t.Fatalf("another credential: %q", got)
	}
	clock.Add(int64(time.Minute))
	if got := f.get(f.logsURL("staging")).header.Get("Ratelimit"); got != `"default";r=2;t=60` {
		t.Fatalf("a new window: %q", got)
	}
}
