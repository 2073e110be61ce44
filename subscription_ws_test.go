package main

import (
	"cmp"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

const logAddedQuery = `subscription ($after: String) { logAdded(gatewayId: "prod-chat", after: $after) { logId createdAt gateway { gatewayId } } }`

// inOrder is the order a subscriber gets the logs one poll finds: oldest
// first, ties in a millisecond by id.
func inOrder(logs []cfsim.Log) []string {
	logs = slices.Clone(logs)
	slices.SortFunc(logs, func(a, b cfsim.Log) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = l.ID
	}
	return out
}

// TestLogAddedOverWebSocket: a graphql-transport-ws client with its token
// in connection_init gets each new log once, oldest first, logs that share
// a millisecond included, every event with a cursor; resuming from a
// cursor, on a new connection, gives the logs that came meanwhile and
// nothing twice.
func TestLogAddedOverWebSocket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.APIToken = "" })
		c := l.connect(map[string]any{"Authorization": "Bearer " + cfsim.DemoToken})
		c.subscribe("1", logAddedQuery, nil)
		synctest.Wait() // subscribed: its poller starts from now

		first := inOrder(l.appendNow("prod-chat", 3))
		var got []string
		var last result
		for range 3 {
			last = c.event("1")
			got = append(got, last.logID(t))
			if last.cursor() == "" {
				t.Fatalf("an event without extensions.cursor: %+v", last)
			}
		}
		if !slices.Equal(got, first) {
			t.Fatalf("got %v, want %v", got, first)
		}
		c.send(map[string]any{"type": "complete", "id": "1"})

		time.Sleep(5 * time.Second)
		missed := inOrder(l.appendNow("prod-chat", 2))
		again := l.connect(map[string]any{"Authorization": "Bearer " + cfsim.DemoToken})
		again.subscribe("r", logAddedQuery, map[string]any{"after": last.cursor()})
		got = nil
		for range 2 {
			got = append(got, again.event("r").logID(t))
		}
		if !slices.Equal(got, missed) {
			t.Fatalf("resumed with %v, want %v", got, missed)
		}
	})
}
