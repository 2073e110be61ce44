package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// tailPolls counts the upstream calls of the live tail: its listings, in
// ascending order (queries list newest first).
func tailPolls(sim *cfsim.Server) (polls, others int) {
	for _, r := range sim.Requests() {
		if r.Query.Get("order_by_direction") == "asc" {
			polls++
		} else {
			others++
		}
	}
	return polls, others
}

// TestBusyBudgetSlowsThePoller: with a small rate budget (36 calls a
// minute) that queries of the same credential use too, the poller slows
// down, leaving the budget's lower half to the queries: no call is refused
// by the budget (no RATE_LIMITED to anyone, no 429 risked upstream), the
// queries all succeed, and the subscriber still gets every log, once.
func TestBusyBudgetSlowsThePoller(t *testing.T) {
	run := func(t *testing.T, queriesEvery time.Duration) (polls int) {
		synctest.Test(t, func(t *testing.T) {
			l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.RateLimit, c.RateWindow = 36, time.Minute })
			c := l.connect(nil)
			c.subscribe("1", logAddedQuery, nil)
			synctest.Wait()
			l.sim.ResetRequests()
			done := make(chan struct{})
			var failed []string
			if queriesEvery > 0 {
				go func() {
					for {
						select {
						case <-done:
							return
						case <-time.After(queriesEvery):
						}
						if body := l.query(`{ logs(gatewayId: "staging", first: 1) { nodes { logId } } }`); strings.Contains(body, "errors") {
							failed = append(failed, body)
						}
					}
				}()
			}
			var want []string
			got := make(chan string, 200)
			go func() {
				for range 60 {
					got <- c.event("1").logID(t) // fails the test on an error event
				}
			}()
			for range 60 { // a log a second for a minute
				want = append(want, inOrder(l.appendNow("prod-chat", 1))...)
				time.Sleep(time.Second)
			}
			for i := range want {
				if id := <-got; id != want[i] {
					t.Fatalf("log %d: %s, want %s", i, id, want[i])
				}
			}
			close(done)
			synctest.Wait()
			polls, _ = tailPolls(l.sim)
			if len(failed) > 0 {
				t.Fatalf("%d queries failed, e.g. %s", len(failed), failed[0])
			}
			if n := l.metric(`ratebudget_refusals_total{reason="budget"}`); n > 0 {
				t.Fatalf("%v calls refused by the budget", n)
			}
		})
		return polls
	}
	quiet := run(t, 0)
	busy := run(t, 2*time.Second)
	t.Logf("polls in the minute: %d with the budget to itself, %d with a query every 2 s", quiet, busy)
	if busy >= quiet {
		t.Fatalf("the poller made %d calls with queries spending the budget, %d without: it did not slow down", busy, quiet)
	}
}

// query posts a query as a client would, with the server's token, and
// returns the answer's body.
func (l *live) query(q string) string {
	req, _ := http.NewRequestWithContext(l.t.Context(), http.MethodPost, "http://service.test/query", strings.NewReader(requestBody(q, nil)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: l.rt}).Do(req)
	if err != nil {
		return "errors: " + err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestShutdownClosesStreamsCleanly: when the server starts shutting down,
// every subscription gets a last event, SERVICE_UNAVAILABLE with the
// cursor to resume from, then complete; each WebSocket is closed with 1001
// (going away) and each event stream ends; Shutdown returns without
// waiting out its grace, and no poller calls the upstream after it.
func TestShutdownClosesStreamsCleanly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		c := l.connect(nil)
		c.subscribe("1", logAddedQuery, nil)
		resp := l.sse(requestBody(logAddedQuery, nil), nil)
		stream := sseEvents(resp.Body)
		synctest.Wait()

		start := time.Now()
		shut := make(chan error, 1)
		go func() { shut <- l.srv.Shutdown(context.Background()) }()

		code, _ := c.errorEvent("1")
		if m := c.next(); code != "SERVICE_UNAVAILABLE" || m.Type != "complete" {
			t.Fatalf("over the WebSocket: %s then %+v, want SERVICE_UNAVAILABLE then complete", code, m)
		}
		if got := c.closed(); got != websocket.StatusGoingAway {
			t.Fatalf("the WebSocket closed with %d, want 1001", got)
		}
		ev, _ := stream()
		var r result
		_ = json.Unmarshal([]byte(ev.data), &r)
		if ev.name != "next" || len(r.Errors) != 1 || r.Errors[0].code() != "SERVICE_UNAVAILABLE" || r.cursor() == "" {
			t.Fatalf("over SSE: %+v, want a next event with SERVICE_UNAVAILABLE and a cursor", ev)
		}
		if ev, err := stream(); ev.name != "complete" {
			t.Fatalf("over SSE after the last event: %+v, %v; want complete", ev, err)
		}
		go func() { _, _ = io.Copy(io.Discard, resp.Body) }() // the end of the response, as a client reads it
		if err := <-shut; err != nil || time.Since(start) > 5*time.Second {
			t.Fatalf("Shutdown: %v after %v", err, time.Since(start))
		}
		calls := l.sim.RequestCount()
		time.Sleep(10 * time.Minute)
		if n := l.sim.RequestCount() - calls; n != 0 {
			t.Fatalf("%d upstream calls after the shutdown", n)
		}
	})
}
