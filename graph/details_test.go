package graph_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

// TestDetailFieldsCostOneCallPerLogConcurrently: 50 listed logs with detail
// fields selected cost 1 list call + 50 detail calls, made concurrently, and
// several detail fields of one log share its call.
func TestDetailFieldsCostOneCallPerLogConcurrently(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	// The list call, then eight detail calls at once (the request's bound,
	// MaxConcurrentCalls).
	e.holdTogether(1)
	e.holdTogether(8)
	var r struct {
		Logs struct {
			Nodes []struct {
				LogID                     string
				RequestHead               *string
				RequestSize, ResponseSize *int
				RequestHeadComplete       *bool
			}
		}
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId requestHead requestHeadComplete requestSize responseSize } } }`, nil, &r)
	lists, details := 0, map[string]int{}
	for _, req := range e.sim.Requests() {
		if req.LogID == "" {
			lists++
		} else {
			details[req.LogID]++
		}
	}
	if lists != 1 || len(details) != 50 {
		t.Fatalf("%d list calls and %d logs' detail calls, want 1 and 50", lists, len(details))
	}
	for id, n := range details {
		if n != 1 {
			t.Fatalf("log %s's detail fetched %d times", id, n)
		}
	}
	if got := e.sim.MaxInFlight(); got < 8 {
		t.Fatalf("at most %d detail calls ran together: not concurrent", got)
	}
	stored := map[string]string{}
	for _, l := range e.sim.Logs("prod-chat") {
		stored[l.ID] = l.RequestHead
	}
	for _, n := range r.Logs.Nodes {
		if n.RequestHead == nil || *n.RequestHead != stored[n.LogID] || n.RequestSize == nil || n.RequestHeadComplete == nil {
			t.Fatalf("log %s's request head is not the stored one: %+v", n.LogID, n)
		}
	}
}

// TestNoDetailCallsWhenNotSelected: the list fields alone never cost more.
func TestNoDetailCallsWhenNotSelected(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId provider model cost tokensIn metadata } } }`, nil, nil)
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls, want 1", n)
	}
}

// TestBodiesAreLazyAndDeduplicated: bodies come from their own endpoints,
// once per log however often they are selected.
func TestBodiesAreLazyAndDeduplicated(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	var r struct {
		Logs struct {
			Nodes []struct {
				RequestBody  map[string]any
				ResponseBody any // JSON, or the text of a streamed answer
			}
		}
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 3) { nodes { requestBody responseBody } }
		again: logs(gatewayId: "prod-chat", first: 3) { nodes { requestBody } } }`, nil, &r)
	paths := map[string]int{}
	for _, req := range e.sim.Requests() {
		switch {
		case strings.HasSuffix(req.Path, "/request"):
			paths["request"]++
		case strings.HasSuffix(req.Path, "/response"):
			paths["response"]++
		default:
			paths["list"]++
		}
	}
	if paths["list"] != 1 || paths["request"] != 3 || paths["response"] != 3 {
		t.Fatalf("calls %v, want 1 list, 3 request bodies, 3 response bodies", paths)
	}
	for i, l := range e.sim.Logs("prod-chat")[:3] {
		if n := r.Logs.Nodes[i]; (len(n.RequestBody) == 0) != (l.RequestBody == "") || (n.ResponseBody == nil) != (l.ResponseBody == "") {
			t.Fatalf("log %s: bodies %+v, stored %q and %q", l.ID, n, l.RequestBody, l.ResponseBody)
		}
	}
}

// TestBodiesAreGivenAsStored: a body shaped like Cloudflare's envelope (as
// Workers AI answers are) comes back whole, and a log stored without its
// payload has null bodies, not an error.
func TestBodiesAreGivenAsStored(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.LogsPerGateway = 2500 })
	var envelope, bare string
	for _, gw := range e.sim.Gateways() {
		for _, l := range e.sim.Logs(gw) {
			switch {
			case envelope == "" && strings.HasPrefix(l.ResponseBody, `{"result":`):
				envelope = gw + "/" + l.ID
			case bare == "" && l.RequestBody == "":
				bare = gw + "/" + l.ID
			}
		}
	}
	if envelope == "" || bare == "" {
		t.Fatalf("cfsim holds no enveloped body (%q) or no log without payload (%q)", envelope, bare)
	}
	query := `query($gw: ID!, $id: String!) { gateway(gatewayId: $gw) { log(logId: $id) { requestBody responseBody } } }`
	for _, which := range []string{envelope, bare} {
		gw, id, _ := strings.Cut(which, "/")
		var r struct {
			Gateway struct {
				Log struct{ RequestBody, ResponseBody any }
			}
		}
		e.mustDo(query, map[string]any{"gw": gw, "id": id}, &r)
		var stored cfsim.Log
		for _, l := range e.sim.Logs(gw) {
			if l.ID == id {
				stored = l
			}
		}
		var want any
		if stored.ResponseBody != "" {
			if err := json.Unmarshal([]byte(stored.ResponseBody), &want); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(r.Gateway.Log.ResponseBody, want) {
			t.Fatalf("%s: response body %v, stored %s", which, r.Gateway.Log.ResponseBody, stored.ResponseBody)
		}
		if stored.RequestBody == "" && r.Gateway.Log.RequestBody != nil {
			t.Fatalf("%s: a log without payload has request body %v", which, r.Gateway.Log.RequestBody)
		}
	}
}
