package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSubscriptionObserved: the metrics count the subscriptions, pollers
// and polls; the request log has one line per subscription, written when
// it ends, with the codes of its events, however many events it sent.
func TestSubscriptionObserved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var log syncBuffer
		l := newLive(t, cfsim.Options{}, nil, app.Options{Logger: slog.New(slog.NewJSONHandler(&log, nil))})
		c := l.connect(nil)
		c.subscribe("1", `subscription Tail { logAdded(gatewayId: "prod-chat") { logId } }`, nil)
		c.subscribe("2", `subscription Tail { logAdded(gatewayId: "prod-chat") { logId } }`, nil)
		synctest.Wait()
		l.appendNow("prod-chat", 3)
		for range 6 { // three logs each
			if r := c.nextOf("1", "2"); len(r.Errors) > 0 {
				t.Fatalf("an error event: %+v", r)
			}
		}
		l.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 20}) // the next poll's
		for range 2 {
			if r := c.nextOf("1", "2"); len(r.Errors) != 1 || r.Errors[0].code() != "RATE_LIMITED" {
				t.Fatalf("after the 429: %+v, want RATE_LIMITED", r)
			}
		}
		if subs, pollers := l.metric("gqlfacade_tail_subscriptions"), l.metric("gqlfacade_tail_pollers"); subs != 2 || pollers != 1 {
			t.Fatalf("%v subscriptions, %v pollers; want 2, 1", subs, pollers)
		}
		if logs, limited := l.metric(`gqlfacade_tail_polls_total{outcome="logs"}`), l.metric(`gqlfacade_tail_polls_total{outcome="rate_limited"}`); logs != 1 || limited != 1 {
			t.Fatalf("polls: %v with logs, %v rate-limited; want 1 and 1", logs, limited)
		}
		if strings.Contains(log.String(), `"operation":"Tail"`) {
			t.Fatalf("a subscription was logged before it ended:\n%s", log.String())
		}
		c.send(map[string]any{"type": "complete", "id": "1"})
		synctest.Wait()
		var lines []map[string]any
		for line := range strings.SplitSeq(log.String(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["operation"] == "Tail" {
				lines = append(lines, m)
			}
		}
		if len(lines) != 1 || lines[0]["operation_type"] != "subscription" || lines[0]["errors"] != float64(1) {
			t.Fatalf("request log lines of the ended subscription: %v; want one, with its one error", lines)
		}
		if codes, _ := lines[0]["error_codes"].([]any); len(codes) != 1 || codes[0] != "RATE_LIMITED" {
			t.Fatalf("its codes: %v", lines[0]["error_codes"])
		}
	})
}
