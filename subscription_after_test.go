package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// TestResumeAfterALogOrAConnectionCursor: `after` may name a log by its
// id, or by the cursor of an edge of the gateway's logs connection (the
// newest log a dashboard shows): the logs after it come first, ties in its
// millisecond by id, then the live ones. Finding the log costs two calls,
// as priced.
func TestResumeAfterALogOrAConnectionCursor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		batch := inOrder(l.appendNow("prod-chat", 3)) // one millisecond
		time.Sleep(time.Second)
		later := inOrder(l.appendNow("prod-chat", 2))
		time.Sleep(time.Second) // a new walk sees the logs before the current second

		var page struct {
			Data struct {
				Logs struct {
					Edges []struct {
						Cursor string
						Node   struct{ LogID string }
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(l.query(`{ logs(gatewayId: "prod-chat", first: 3) { edges { cursor node { logId } } } }`)), &page); err != nil {
			t.Fatal(err)
		}
		edges := page.Data.Logs.Edges
		// Newest first: the two later logs, then the first batch's newest.
		if len(edges) != 3 || edges[2].Node.LogID != batch[2] {
			t.Fatalf("the connection's newest three: %+v; want the later two, then %s", edges, batch[2])
		}

		c := l.connect(nil)
		for _, tc := range []struct {
			name, after string
			want        []string
		}{
			{"the first batch's oldest, by id", batch[0], append(slices.Clone(batch[1:]), later...)},
			{"the cursor of the third newest edge", edges[2].Cursor, later},
		} {
			calls := l.sim.RequestCount()
			c.subscribe(tc.name, logAddedQuery, map[string]any{"after": tc.after})
			var got []string
			for range tc.want {
				got = append(got, c.event(tc.name).logID(t))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("after %s: %v, want %v", tc.name, got, tc.want)
			}
			// Two to find the log and its millisecond, one to read on.
			if n := l.sim.RequestCount() - calls; n != 3 {
				t.Fatalf("after %s: %d upstream calls, want 3", tc.name, n)
			}
		}
	})
}

// TestAfterRefusals: an `after` that names nothing the service can resume
// from is refused before the subscription starts, with what to do instead.
func TestAfterRefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		c := l.connect(nil)
		c.subscribe("s", logAddedQuery, nil)
		synctest.Wait()
		l.appendNow("prod-chat", 1)
		tailCursor := c.event("s").cursor()
		var conn struct {
			Data struct {
				Logs struct{ Edges []struct{ Cursor string } }
			}
		}
		_ = json.Unmarshal([]byte(l.query(`{ logs(gatewayId: "prod-chat", first: 1, filter: { success: { eq: true } }) { edges { cursor } } }`)), &conn)

		for _, tc := range []struct {
			name, query, after, code, says string
		}{
			{"garbage", logAddedQuery, "not a cursor!", "BAD_USER_INPUT", "neither a cursor"},
			{"an altered tail cursor", logAddedQuery, tailCursor[:len(tailCursor)-2] + "AA", "BAD_USER_INPUT", "not a cursor this service issued"},
			{"another gateway's tail cursor", strings.Replace(logAddedQuery, "prod-chat", "staging", 1), tailCursor, "BAD_USER_INPUT", "another subscription"},
			{"a connection cursor of another filter", logAddedQuery, conn.Data.Logs.Edges[0].Cursor, "BAD_USER_INPUT", "another logs connection"},
			{"a log id the gateway does not have", logAddedQuery, "01JAAAAAAAAAAAAAAAAAAAAAAA", "NOT_FOUND", "has no log"},
		} {
			c.subscribe(tc.name, tc.query, map[string]any{"after": tc.after})
			r := c.event(tc.name)
			if len(r.Errors) != 1 || r.Errors[0].code() != tc.code || !strings.Contains(r.Errors[0].Message, tc.says) {
				t.Errorf("%s: %+v, want %s saying %q", tc.name, r.Errors, tc.code, tc.says)
			}
			if m := c.next(); m.Type != "complete" || m.ID != tc.name {
				t.Errorf("%s: then %+v, want complete", tc.name, m)
			}
		}
	})
}

// TestEventsArePricedAndResolvedEach: what an event selects is priced as a
// query's selection would be (here the detail fields, a call per log);
// each event resolves it with loaders of its own; a selection over
// -max-upstream-calls per event is refused before anything runs.
func TestEventsArePricedAndResolvedEach(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.MaxUpstreamCalls = 2 })
		c := l.connect(nil)
		c.subscribe("d", `subscription { logAdded(gatewayId: "prod-chat") { logId requestSize } }`, nil)
		synctest.Wait()
		logs := l.appendNow("prod-chat", 2)
		for range logs {
			r := c.event("d")
			var l struct{ RequestSize *int }
			if err := json.Unmarshal(r.Data["logAdded"], &l); err != nil || l.RequestSize == nil || len(r.Errors) > 0 {
				t.Fatalf("an event with a detail field: %+v", r)
			}
		}
		c.subscribe("x", `subscription { logAdded(gatewayId: "prod-chat", after: "01JAAAAAAAAAAAAAAAAAAAAAAA") { logId requestSize } }`, nil)
		r := c.event("x")
		if len(r.Errors) != 1 || r.Errors[0].code() != "QUERY_TOO_EXPENSIVE" {
			t.Fatalf("priced over the limit: %+v, want QUERY_TOO_EXPENSIVE", r)
		}
	})
}
