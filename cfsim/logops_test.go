package cfsim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// send makes a request with a body and the demo token.
func (f *fixture) send(method, rawURL, body string) response {
	f.t.Helper()
	req, err := http.NewRequestWithContext(f.t.Context(), method, rawURL, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

func (f *fixture) logURL(gw, id string) string { return f.logsURL(gw) + "/" + id }

func findLog(t *testing.T, s *Server, gw, id string) Log {
	t.Helper()
	for _, l := range s.Logs(gw) {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("log %s not in %s", id, gw)
	return Log{}
}

// The stored bodies are whole JSON objects (or, for streams, text), and the
// detail's heads and sizes describe them.
func TestBodiesData(t *testing.T) {
	s := New(Options{Now: fixedNow, LogsPerGateway: 400})
	var chat, stream, withUsage int
	for _, gw := range s.Gateways() {
		for _, l := range s.Logs(gw) {
			for _, b := range []struct {
				body, head string
				complete   bool
				size       int
			}{{l.RequestBody, l.RequestHead, l.RequestHeadComplete, l.RequestSize},
				{l.ResponseBody, l.ResponseHead, l.ResponseHeadComplete, l.ResponseSize}} {
				if b.size != len(b.body) || !strings.HasPrefix(b.body, b.head) || b.complete != (b.head == b.body) ||
					len(b.head) != min(len(b.body), headLimit) {
					t.Fatalf("%s: head/size do not describe the body %q", l.ID, b.body)
				}
			}
			var req map[string]any
			if err := json.Unmarshal([]byte(l.RequestBody), &req); err != nil || req["model"] != l.Model {
				t.Fatalf("%s: request body %q is not an object naming the model", l.ID, l.RequestBody)
			}
			if msgs, ok := req["messages"].([]any); ok {
				chat++
				if m, _ := msgs[0].(map[string]any); m["role"] != "user" || m["content"] == "" {
					t.Fatalf("%s: messages %v", l.ID, msgs)
				}
			}
			var resp map[string]any
			if err := json.Unmarshal([]byte(l.ResponseBody), &resp); err != nil {
				if !strings.HasPrefix(l.ResponseBody, "data: ") {
					t.Fatalf("%s: response body %q is neither JSON nor a stream", l.ID, l.ResponseBody)
				}
				stream++
				continue
			}
			if u, ok := resp["usage"].(map[string]any); ok {
				withUsage++
				if l.TokensIn != nil && u["prompt_tokens"] != float64(*l.TokensIn) {
					t.Fatalf("%s: usage %v, tokens_in %d", l.ID, u, *l.TokensIn)
				}
			}
		}
	}
	if chat == 0 || stream == 0 || withUsage == 0 {
		t.Errorf("chat %d, stream %d, usage %d: want each ≥ 1", chat, stream, withUsage)
	}
}

func TestLogBodies(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300})
	var sawStream, sawObject bool
	for _, l := range f.s.Logs("prod-chat")[:120] {
		for _, part := range []string{"request", "response"} {
			r := f.get(f.logURL("prod-chat", l.ID) + "/" + part)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s/%s: status %d: %s", l.ID, part, r.status, r.body)
			}
			stored := l.RequestBody
			if part == "response" {
				stored = l.ResponseBody
			}
			if json.Valid([]byte(stored)) {
				// Served as is: no envelope.
				sawObject = true
				if string(r.body) != stored {
					t.Fatalf("%s/%s: served %s, stored %s", l.ID, part, r.body, stored)
				}
				continue
			}
			sawStream = true
			var s string
			if err := json.Unmarshal(r.body, &s); err != nil || s != stored {
				t.Fatalf("%s/%s: a non-JSON body must be served as a JSON string: %s", l.ID, part, r.body)
			}
		}
	}
	if !sawObject || !sawStream {
		t.Errorf("object %v, stream %v: want both", sawObject, sawStream)
	}
	id := f.s.Logs("prod-chat")[0].ID
	for _, part := range []string{"request", "response"} {
		wantError(t, f.get(f.logURL("prod-chat", "01NOTALOGID0000000000000000")+"/"+part), http.StatusNotFound, codeNotFound)
		wantError(t, f.get(f.logURL("staging", id)+"/"+part), http.StatusNotFound, codeNotFound)
		wantError(t, f.get(f.logURL("nope", id)+"/"+part), http.StatusNotFound, codeNotFound)
		wantError(t, f.get(f.logURL("prod-chat", id)+"/"+part, "X-No", "auth"), http.StatusUnauthorized, codeMissingAuth)
	}
	// Deterministic: another server with the same options serves the same bytes.
	g := newFixture(t, Options{LogsPerGateway: 300})
	for _, part := range []string{"request", "response"} {
		if a, b := f.get(f.logURL("prod-chat", id)+"/"+part), g.get(g.logURL("prod-chat", id)+"/"+part); string(a.body) != string(b.body) {
			t.Errorf("%s differs between equal servers", part)
		}
	}
}

func TestPatchLog(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 200})
	before := f.s.Logs("staging")[7]
	u := f.logURL("staging", before.ID)
	body := `{"feedback":0.5,"score":87.5,"metadata":{"user":"u-99","team":"qa","attempt":3,"ok":true,"ratio":1.50},"unknown":[1,2]}`
	r := f.send(http.MethodPatch, u, body)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var ans map[string]any
	json.Unmarshal(r.body, &ans)
	if ans["success"] != true || !isEmptyObject(ans["result"]) || !isEmptyArray(ans["errors"]) || !isEmptyArray(ans["messages"]) {
		t.Fatalf("answer %s", r.body)
	}
	reqs := f.s.Requests()
	if last := reqs[len(reqs)-1]; last.Method != http.MethodPatch || last.Body != body || last.LogID != before.ID ||
		last.GatewayID != "staging" || last.Status != 200 {
		t.Fatalf("recorded %+v", last)
	}

	after := findLog(t, f.s, "staging", before.ID)
	const wantMeta = `{"attempt":3,"ok":true,"ratio":1.50,"team":"qa","user":"u-99"}`
	if after.Feedback == nil || *after.Feedback != 0.5 || after.Score == nil || *after.Score != 87.5 ||
		after.Metadata == nil || *after.Metadata != wantMeta {
		t.Fatalf("after PATCH: feedback %v score %v metadata %v", after.Feedback, after.Score, after.Metadata)
	}
	after.Feedback, after.Score, after.Metadata = before.Feedback, before.Score, before.Metadata
	if !slices.Equal([]string{mustJSON(after)}, []string{mustJSON(before)}) || after.RequestBody != before.RequestBody {
		t.Fatal("PATCH changed other fields")
	}

	// Visible in the detail, to the filters, to search and in every order.
	d := f.get(u)
	var det struct {
		Result map[string]any `json:"result"`
	}
	json.Unmarshal(d.body, &det)
	if det.Result["metadata"] != wantMeta {
		t.Errorf("detail metadata %v", det.Result["metadata"])
	}
	ids, _ := f.listAll("staging", filtersQ(Filter{"feedback", "eq", []any{0.5}}))
	if !slices.Equal(ids, []string{before.ID}) {
		t.Errorf("feedback eq 0.5: %v", ids)
	}
	ids, _ = f.listAll("staging", filtersQ(Filter{"metadata.value", "eq", []any{"qa"}}))
	if !slices.Equal(ids, []string{before.ID}) {
		t.Errorf("metadata.value eq qa: %v", ids)
	}
	ids, _ = f.listAll("staging", url.Values{"search": {"u-99"}})
	if !slices.Equal(ids, []string{before.ID}) {
		t.Errorf("search u-99: %v", ids)
	}
	for _, ob := range []string{"created_at", "provider", "model_type"} {
		ids, _ = f.listAll("staging", url.Values{"order_by": {ob}, "search": {"u-99"}})
		if !slices.Equal(ids, []string{before.ID}) {
			t.Errorf("order_by %s: %v", ob, ids)
		}
		all, total := f.listAll("staging", url.Values{"order_by": {ob}})
		if total != 200 || len(all) != 200 {
			t.Errorf("order_by %s after PATCH: %d of %d", ob, len(all), total)
		}
	}

	// Absent members are left alone; null clears.
	if r := f.send(http.MethodPatch, u, `{"score":3}`); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	l := findLog(t, f.s, "staging", before.ID)
	if *l.Score != 3 || *l.Feedback != 0.5 || *l.Metadata != wantMeta {
		t.Fatalf("partial PATCH: %v %v %v", *l.Score, *l.Feedback, *l.Metadata)
	}
	if r := f.send(http.MethodPatch, u, `{"feedback":null,"metadata":null,"score":null}`); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if l := findLog(t, f.s, "staging", before.ID); l.Feedback != nil || l.Score != nil || l.Metadata != nil {
		t.Fatalf("null PATCH did not clear: %+v", l)
	}
	if r := f.send(http.MethodPatch, u, `{}`); r.status != 200 {
		t.Fatalf("empty object: status %d", r.status)
	}
	// Boundaries are inclusive.
	for _, b := range []string{`{"feedback":-1}`, `{"feedback":1}`, `{"score":0}`, `{"score":100}`, `{"metadata":{}}`, `{"feedback":1e-1}`} {
		if r := f.send(http.MethodPatch, u, b); r.status != 200 {
			t.Errorf("%s: status %d: %s", b, r.status, r.body)
		}
	}
	if l := findLog(t, f.s, "staging", before.ID); *l.Metadata != `{}` || *l.Feedback != 0.1 {
		t.Errorf("metadata %v feedback %v", *l.Metadata, *l.Feedback)
	}

	// Unknown log or gateway.
	wantError(t, f.send(http.MethodPatch, f.logURL("staging", "01NOTALOGID0000000000000000"), `{"score":1}`), http.StatusNotFound, codeNotFound)
	wantError(t, f.send(http.MethodPatch, f.logURL("prod-chat", before.ID), `{"score":1}`), http.StatusNotFound, codeNotFound)
	wantError(t, f.send(http.MethodPatch, f.logURL("nope", before.ID), `{"score":1}`), http.StatusNotFound, codeNotFound)
}

func mustJSON(l Log) string {
	type all Log // every field, json:"-" ones aside; compare those by hand
	b, _ := json.Marshal(struct {
		all
		F, S    *float64
		M       *string
		H, R, E string
	}{all(l), l.Feedback, l.Score, l.Metadata, l.RequestHead, l.ResponseHead, l.EventID})
	return string(b)
}

func isEmptyObject(v any) bool { m, ok := v.(map[string]any); return ok && len(m) == 0 }
func isEmptyArray(v any) bool  { a, ok := v.([]any); return ok && len(a) == 0 }

func TestPatchValidation(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 20})
	l := f.s.Logs("batch-jobs")[3]
	u := f.logURL("batch-jobs", l.ID)
	cases := map[string]string{
		"feedback 2":            `{"feedback":2}`,
		"feedback -1.01":        `{"feedback":-1.01}`,
		"feedback string":       `{"feedback":"1"}`,
		"feedback bool":         `{"feedback":true}`,
		"score -1":              `{"score":-1}`,
		"score 100.5":           `{"score":100.5}`,
		"score huge":            `{"score":1e400}`,
		"score array":           `{"score":[1]}`,
		"metadata object value": `{"metadata":{"a":{"b":1}}}`,
		"metadata array value":  `{"metadata":{"a":[1]}}`,
		"metadata null value":   `{"metadata":{"a":null}}`,
		"metadata string":       `{"metadata":"{\"a\":1}"}`,
		"metadata array":        `{"metadata":[]}`,
		"malformed":             `{"feedback":`,
		"trailing garbage":      `{"feedback":1}x`,
		"array body":            `[]`,
		"string body":           `"x"`,
		"null body":             `null`,
		"empty body":            ``,
		"too large":             `{"metadata":{"a":"` + strings.Repeat("x", maxRequestBody) + `"}}`,
	}
	for name, body := range cases {
		r := f.send(http.MethodPatch, u, body)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d: %s", name, r.status, r.body)
			continue
		}
		wantError(t, r, http.StatusBadRequest, 0)
	}
	// Every problem is reported, and nothing was applied.
	r := f.send(http.MethodPatch, u, `{"feedback":5,"score":-5,"metadata":{"a":{},"b":[],"c":"ok"}}`)
	if e := decodeError(t, r); len(e.Errors) != 4 {
		t.Errorf("want 4 problems: %s", r.body)
	}
	after := findLog(t, f.s, "batch-jobs", l.ID)
	if mustJSON(after) != mustJSON(l) {
		t.Error("a rejected PATCH changed the log")
	}
	// A body that fails validation for an unknown log is still a 400: the
	// body is checked before the log is looked up.
	wantError(t, f.send(http.MethodPatch, f.logURL("nope", l.ID), `{"feedback":2}`), http.StatusBadRequest, 0)
	// Credentials before anything.
	req, _ := http.NewRequest(http.MethodPatch, u, strings.NewReader(`{"score":1}`))
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || findLog(t, f.s, "batch-jobs", l.ID).Score != nil {
		t.Errorf("unauthenticated PATCH: status %d", resp.StatusCode)
	}
}

// Faults, the request log and MaxInFlight cover the new endpoints too.
func TestNewEndpointsFaultsAndFlight(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 20})
	l := f.s.Logs("staging")[0]
	u := f.logURL("staging", l.ID)

	f.s.InjectFault(Fault{Kind: FaultServerError, Status: 503})
	wantError(t, f.get(f.gatewaysURL()), http.StatusServiceUnavailable, codeInternalError)
	// A fault for one gateway does not reach List Gateways, which has none.
	f.s.InjectFault(Fault{Kind: FaultRateLimit, Gateway: "staging"})
	if r := f.get(f.gatewaysURL()); r.status != http.StatusOK {
		t.Fatalf("gateway-specific fault hit List Gateways: %d", r.status)
	}
	wantError(t, f.get(f.gatewaysURL()+"/staging"), http.StatusTooManyRequests, codeRateLimited)
	// A failed PATCH is not applied.
	f.s.InjectFault(Fault{Kind: FaultServerError})
	wantError(t, f.send(http.MethodPatch, u, `{"score":42}`), http.StatusInternalServerError, codeInternalError)
	if findLog(t, f.s, "staging", l.ID).Score != nil {
		t.Fatal("PATCH applied despite the injected 500")
	}
	f.s.InjectFault(Fault{Kind: FaultMalformedJSON})
	if r := f.get(u + "/request"); r.status != 200 || json.Valid(r.body) {
		t.Fatalf("malformed fault: %d %s", r.status, r.body)
	}
	f.s.InjectFault(Fault{Kind: FaultDropConnection})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, u+"/response", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	awaitRequests(t, f.s, 6)
	var statuses []int
	for _, r := range f.s.Requests() {
		statuses = append(statuses, r.Status)
	}
	if want := []int{503, 200, 429, 500, 200, StatusDropped}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v", statuses)
	}

	// Concurrent calls to the new endpoints are counted in flight.
	f.s.ResetRequests()
	f.s.SetLatency(150 * time.Millisecond)
	var wg sync.WaitGroup
	for _, target := range []string{f.gatewaysURL(), f.gatewaysURL() + "/staging", u + "/request", u + "/response"} {
		wg.Go(func() {
			if _, err := f.do(context.Background(), http.MethodGet, target); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Go(func() { f.send(http.MethodPatch, u, `{"score":1}`) })
	wg.Wait()
	f.s.SetLatency(0)
	if n := f.s.MaxInFlight(); n < 2 {
		t.Errorf("MaxInFlight %d, want ≥ 2", n)
	}
	if n := f.s.RequestCount(); n != 5 {
		t.Errorf("%d requests recorded, want 5", n)
	}
}

// PATCHes racing with lists and Append stay consistent (run with -race).
func TestPatchWhileServing(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300, Now: time.Now})
	logs := f.s.Logs("prod-chat")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < 60; i += 4 {
				r := f.send(http.MethodPatch, f.logURL("prod-chat", logs[i].ID), `{"feedback":0.25,"metadata":{"n":`+itoaT(i)+`}}`)
				if r.status != http.StatusOK {
					t.Errorf("PATCH: %d", r.status)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			f.list("prod-chat", url.Values{"order_by": {"model"}, "per_page": {"50"}})
			f.s.Append("prod-chat", 2)
		}
	})
	wg.Wait()
	ids, total := f.listAll("prod-chat", filtersQ(Filter{"feedback", "eq", []any{0.25}}))
	if total != 60 || len(ids) != 60 {
		t.Fatalf("%d logs with feedback 0.25, want 60", total)
	}
	if all, total := f.listAll("prod-chat", url.Values{"order_by": {"provider"}}); total != 340 || len(all) != 340 {
		t.Fatalf("%d logs after appends, want 340", total)
	}
}
