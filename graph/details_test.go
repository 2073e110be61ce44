package graph_test

import (
	"strings"
	"testing"
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
	for _, n := range r.Logs.Nodes {
		if n.RequestHead == nil || *n.RequestHead == "" || n.RequestSize == nil || n.RequestHeadComplete == nil {
			t.Fatalf("log %s has no request head: %+v", n.LogID, n)
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
	for _, n := range r.Logs.Nodes {
		if len(n.RequestBody) == 0 || n.ResponseBody == nil {
			t.Fatalf("empty body: %+v", n)
		}
	}
}
