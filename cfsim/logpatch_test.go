package cfsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

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
	if resp.StatusCode != http.StatusBadRequest || findLog(t, f.s, "batch-jobs", l.ID).Score != nil {
		t.Errorf("unauthenticated PATCH: status %d", resp.StatusCode)
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
