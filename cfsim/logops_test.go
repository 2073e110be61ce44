package cfsim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
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
	var chat, stream, withUsage, noPayload int
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
			if l.RequestBody == "" && l.ResponseBody == "" {
				noPayload++ // sent with cf-aig-collect-log-payload: false
				continue
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
	if chat == 0 || stream == 0 || withUsage == 0 || noPayload == 0 {
		t.Errorf("chat %d, stream %d, usage %d, without payload %d: want each ≥ 1", chat, stream, withUsage, noPayload)
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
			if stored == "" {
				// Stored without its payload: an empty answer.
				if len(r.body) != 0 {
					t.Fatalf("%s/%s: no payload stored, served %s", l.ID, part, r.body)
				}
				continue
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
		wantError(t, f.get(f.logURL("prod-chat", id)+"/"+part, "X-No", "auth"), http.StatusBadRequest, codeMissingAuth)
	}
	// Deterministic: another server with the same options serves the same bytes.
	g := newFixture(t, Options{LogsPerGateway: 300})
	for _, part := range []string{"request", "response"} {
		if a, b := f.get(f.logURL("prod-chat", id)+"/"+part), g.get(g.logURL("prod-chat", id)+"/"+part); string(a.body) != string(b.body) {
			t.Errorf("%s differs between equal servers", part)
		}
	}
}
