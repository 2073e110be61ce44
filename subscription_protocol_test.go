package main

import (
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

// TestWebSocketCloseCodes: the graphql-transport-ws protocol's close codes,
// each for what the protocol gives it, none after an upstream call.
func TestWebSocketCloseCodes(t *testing.T) {
	msg := func(v any) []byte { b, _ := json.Marshal(v); return b }
	initMsg := msg(map[string]any{"type": "connection_init"})
	sub := msg(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": logAddedQuery}})
	for _, tc := range []struct {
		name   string
		token  string // the server's
		header http.Header
		init   []byte   // the first message, if any
		then   [][]byte // sent after its connection_ack
		want   websocket.StatusCode
	}{
		{"no credential anywhere", "", nil, initMsg, nil, 4401},
		{"an empty Authorization in connection_init", "", nil, msg(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": ""}}), nil, 4401},
		{"a credential that is not a string", "", nil, msg(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": 7}}), nil, 4401},
		{"an empty Authorization header in the handshake", cfsim.DemoToken, http.Header{"Authorization": {""}}, initMsg, nil, 4401},
		{"subscribe before connection_init", cfsim.DemoToken, nil, sub, nil, 4401},
		{"no connection_init in time", cfsim.DemoToken, nil, nil, nil, 4408},
		{"connection_init twice", cfsim.DemoToken, nil, initMsg, [][]byte{initMsg}, 4429},
		{"a subscribe id still running", cfsim.DemoToken, nil, initMsg, [][]byte{sub, sub}, 4409},
		{"not JSON", cfsim.DemoToken, nil, initMsg, [][]byte{[]byte("{oops")}, 4400},
		{"an unknown type", cfsim.DemoToken, nil, initMsg, [][]byte{msg(map[string]any{"type": "next", "id": "1"})}, 4400},
		{"a subscribe without an id", cfsim.DemoToken, nil, initMsg, [][]byte{msg(map[string]any{"type": "subscribe", "payload": map[string]any{"query": "{ __typename }"}})}, 4400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.APIToken = tc.token })
				c, _, err := l.dial(tc.header, "graphql-transport-ws")
				if err != nil {
					t.Fatal(err)
				}
				if tc.init != nil {
					_ = c.c.Write(t.Context(), websocket.MessageText, tc.init)
				}
				if tc.then != nil {
					if m := c.next(); m.Type != "connection_ack" {
						t.Fatalf("got %+v, want connection_ack", m)
					}
					for _, m := range tc.then {
						_ = c.c.Write(t.Context(), websocket.MessageText, m)
					}
				}
				if got := c.closed(); got != tc.want {
					t.Fatalf("closed with %d, want %d", got, tc.want)
				}
				if n := l.sim.RequestCount(); n != 0 {
					t.Fatalf("%d upstream calls", n)
				}
			})
		})
	}
}

// TestWebSocketHandshake: a client that does not offer graphql-transport-ws
// is closed with 4406; a page of another origin is refused before the
// upgrade; the handshake's own Authorization header is a credential.
func TestWebSocketHandshake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) {
			c.APIToken, c.CORSAllowedOrigins = "", []string{"https://app.example.com"}
		})
		for _, offered := range [][]string{nil, {"graphql-ws"}} {
			c, _, err := l.dial(nil, offered...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.closed(); got != 4406 {
				t.Fatalf("offering %v: closed with %d, want 4406", offered, got)
			}
		}
		_, resp, err := l.dial(http.Header{"Origin": {"https://evil.example"}}, "graphql-transport-ws")
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("another origin: %v, %+v; want 403", err, resp)
		}
		for _, origin := range []string{"", "https://app.example.com", "http://service.test"} {
			h := bearer(cfsim.DemoToken)
			if origin != "" {
				h.Set("Origin", origin)
			}
			c, _, err := l.dial(h, "graphql-transport-ws")
			if err != nil {
				t.Fatalf("origin %q: %v", origin, err)
			}
			c.send(map[string]any{"type": "connection_init"})
			if m := c.next(); m.Type != "connection_ack" {
				t.Fatalf("origin %q with the handshake's credential: %+v, want connection_ack", origin, m)
			}
		}
	})
}

// TestWebSocketOperationsPerConnection: past the connection's limit a
// subscribe is answered with an error for its id (QUERY_TOO_EXPENSIVE) and
// the others run on; once one completes, another may start. Queries run
// over the WebSocket too.
func TestWebSocketOperationsPerConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.Streams.MaxOpsPerConnection = 2 })
		c := l.connect(nil)
		c.subscribe("a", logAddedQuery, nil)
		c.subscribe("b", logAddedQuery, nil)
		c.subscribe("c", logAddedQuery, nil)
		m := c.next()
		if m.Type != "error" || m.ID != "c" || !strings.Contains(string(m.Payload), "QUERY_TOO_EXPENSIVE") {
			t.Fatalf("the third: %+v, want an error QUERY_TOO_EXPENSIVE for c", m)
		}
		c.send(map[string]any{"type": "complete", "id": "a"}) // nothing more is sent for a
		synctest.Wait()
		c.subscribe("q", `{ logs(gatewayId: "prod-chat", first: 1) { nodes { logId } } }`, nil)
		if r := c.event("q"); len(r.Errors) > 0 || r.Data["logs"] == nil {
			t.Fatalf("a query over the WebSocket: %+v", r)
		}
		if m := c.next(); m.Type != "complete" || m.ID != "q" {
			t.Fatalf("after the query's answer: %+v, want complete", m)
		}
		want := inOrder(l.appendNow("prod-chat", 1))[0]
		if got := c.event("b").logID(t); got != want {
			t.Fatalf("the subscription still running got %s, want %s", got, want)
		}
	})
}

// TestWebSocketKeepAlive: an idle connection is pinged; a client that
// answers stays connected, one that does not is closed.
func TestWebSocketKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.Streams.KeepAlive = 10 * time.Second })
		c := l.connect(nil)
		c.subscribe("1", logAddedQuery, nil)
		got := make(chan string)
		go func() { got <- c.event("1").logID(t) }() // answering pings meanwhile
		time.Sleep(time.Minute)
		want := inOrder(l.appendNow("prod-chat", 1))[0]
		if id := <-got; id != want {
			t.Fatalf("after a quiet minute: %s, want %s", id, want)
		}

		silent, _, err := l.dial(nil, "graphql-transport-ws")
		if err != nil {
			t.Fatal(err)
		}
		silent.send(map[string]any{"type": "connection_init"})
		start := time.Now()
		var pings int
		for {
			_, b, err := silent.c.Read(t.Context()) // never answers a ping
			if err != nil {
				break
			}
			if strings.Contains(string(b), `"ping"`) {
				pings++
			}
		}
		if pings == 0 || time.Since(start) > 31*time.Second {
			t.Fatalf("a client that never answers: %d pings, closed after %v; want pings, closed within two intervals", pings, time.Since(start))
		}
	})
}

// TestMaxStreams: past -max-streams open streams, one more is answered 503
// SERVICE_UNAVAILABLE with Retry-After at once; queries take no stream's
// place, and a stream that ends frees its own.
func TestMaxStreams(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.Streams.MaxStreams = 1 })
		c := l.connect(nil)
		_, resp, err := l.dial(nil, "graphql-transport-ws")
		if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("a second stream: %v, %+v; want 503 with Retry-After", err, resp)
		}
		sse := l.sse(requestBody(logAddedQuery, nil), nil)
		if b, _ := io.ReadAll(sse.Body); sse.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "SERVICE_UNAVAILABLE") {
			t.Fatalf("an event stream: %d %s, want 503 SERVICE_UNAVAILABLE", sse.StatusCode, b)
		}
		if body := l.query(`{ logs(gatewayId: "prod-chat", first: 1) { nodes { logId } } }`); !strings.Contains(body, "logId") {
			t.Fatalf("a query while the streams are full: %s", body)
		}
		_ = c.c.Close(websocket.StatusNormalClosure, "")
		synctest.Wait()
		l.connect(nil)
	})
}

// TestWebSocketMessageLimit: a message longer than -max-body-bytes closes
// the connection with 1009 (message too big) before it is read whole.
func TestWebSocketMessageLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.MaxBodyBytes = 4096 })
		c := l.connect(nil)
		big, _ := json.Marshal(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": logAddedQuery + strings.Repeat(" ", 8192)}})
		go func() { _ = c.c.Write(t.Context(), websocket.MessageText, big) }() // the pipe takes it only as it is read
		if got := c.closed(); got != websocket.StatusMessageTooBig {
			t.Fatalf("closed with %d, want 1009", got)
		}
		if n := l.sim.RequestCount(); n != 0 {
			t.Fatalf("%d upstream calls", n)
		}
	})
}
