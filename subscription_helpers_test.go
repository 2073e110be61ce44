package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// live is the service as it ships, on an in-memory network, for a test
// inside a testing/synctest bubble: the pollers' intervals, keep-alives
// and timeouts take no real time. The simulator's clock is the test's, so
// that logs can be appended in one millisecond.
type live struct {
	t     *testing.T
	sim   *cfsim.Server
	clock *testenv.Clock
	app   *app.App
	srv   *http.Server
	rt    http.RoundTripper // to the service
}

// patience bounds every wait for a message (of the bubble's time): far
// beyond any interval, so that a message that never comes fails the test.
const patience = 10 * time.Minute

func newLive(t *testing.T, simOpts cfsim.Options, tune func(*app.Config), opts ...app.Options) *live {
	t.Helper()
	clock := testenv.NewClock(time.Now())
	simOpts.Now = clock.Now
	if simOpts.LogsPerGateway == 0 {
		simOpts.LogsPerGateway = 30
	}
	sim := cfsim.New(simOpts)
	var o app.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	service := apptest.Piped(t, sim, tune, o)
	srv := service.Server()
	return &live{t: t, sim: sim, clock: clock, app: service, srv: srv, rt: testenv.PipeServer(t, srv)}
}

// appendNow appends n logs to a gateway, created now, in one millisecond.
func (l *live) appendNow(gateway string, n int) []cfsim.Log {
	l.clock.Advance(time.Now().Sub(l.clock.Now()))
	return l.sim.Append(gateway, n)
}

// ws is a client's WebSocket to the service.
type ws struct {
	t *testing.T
	c *websocket.Conn
}

// dial opens a WebSocket to /query offering subprotocols, with header.
func (l *live) dial(header http.Header, subprotocols ...string) (*ws, *http.Response, error) {
	c, resp, err := websocket.Dial(l.t.Context(), "ws://service.test/query", &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: l.rt}, HTTPHeader: header, Subprotocols: subprotocols,
	})
	if err != nil {
		return nil, resp, err
	}
	l.t.Cleanup(func() { _ = c.CloseNow() })
	return &ws{t: l.t, c: c}, resp, nil
}

// connect opens a graphql-transport-ws connection and initialises it with
// payload, expecting connection_ack.
func (l *live) connect(payload map[string]any) *ws {
	l.t.Helper()
	c, _, err := l.dial(nil, "graphql-transport-ws")
	if err != nil {
		l.t.Fatalf("dial: %v", err)
	}
	c.send(map[string]any{"type": "connection_init", "payload": payload})
	if m := c.next(); m.Type != "connection_ack" {
		l.t.Fatalf("after connection_init: %+v, want connection_ack", m)
	}
	return c
}

// wsMessage is one graphql-transport-ws message.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (c *ws) send(v any) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	if err := c.c.Write(c.t.Context(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *ws) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	c.send(map[string]any{"type": "subscribe", "id": id, "payload": map[string]any{"query": query, "variables": vars}})
}

// read is the next message, or the error that ended the connection (its
// close status can be read with websocket.CloseStatus). Pings are
// answered, as graphql-ws does, and skipped.
func (c *ws) read() (wsMessage, error) {
	ctx, cancel := context.WithTimeout(c.t.Context(), patience)
	defer cancel()
	for {
		_, b, err := c.c.Read(ctx)
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			c.t.Fatalf("a message that is not JSON: %q", b)
		}
		if m.Type == "ping" {
			c.send(map[string]any{"type": "pong"})
			continue
		}
		return m, nil
	}
}

func (c *ws) next() wsMessage {
	c.t.Helper()
	m, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

// closed waits for the connection to close and returns its status.
func (c *ws) closed() websocket.StatusCode {
	c.t.Helper()
	for {
		m, err := c.read()
		if err != nil {
			return websocket.CloseStatus(err)
		}
		c.t.Logf("before the close: %+v", m)
	}
}

// result is a next message's payload: an execution result.
type result struct {
	Data       map[string]json.RawMessage `json:"data"`
	Errors     []gqlError                 `json:"errors"`
	Extensions map[string]any             `json:"extensions"`
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { c, _ := e.Extensions["code"].(string); return c }

// event reads the next message of operation id, which must be a next.
func (c *ws) event(id string) result {
	c.t.Helper()
	m := c.next()
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("got %+v, want next for %s", m, id)
	}
	var r result
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		c.t.Fatal(err)
	}
	return r
}

// nextOf reads the next message, which must be a next of one of ids
// (operations of one connection interleave).
func (c *ws) nextOf(ids ...string) result {
	c.t.Helper()
	m := c.next()
	if m.Type != "next" || !slices.Contains(ids, m.ID) {
		c.t.Fatalf("got %+v, want next for one of %v", m, ids)
	}
	var r result
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		c.t.Fatal(err)
	}
	return r
}

// logID is the logId of an event of `logAdded { logId }`.
func (r result) logID(t *testing.T) string {
	t.Helper()
	var l struct {
		LogID string `json:"logId"`
	}
	if err := json.Unmarshal(r.Data["logAdded"], &l); err != nil || l.LogID == "" {
		t.Fatalf("an event without a log: %+v", r)
	}
	return l.LogID
}

func (r result) cursor() string { s, _ := r.Extensions["cursor"].(string); return s }

// sse opens an event stream with body and header, and returns the
// response (its body is the stream).
func (l *live) sse(body string, header http.Header) *http.Response {
	l.t.Helper()
	req, _ := http.NewRequestWithContext(l.t.Context(), http.MethodPost, "http://service.test/query", strings.NewReader(body))
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := (&http.Client{Transport: l.rt}).Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// sseEvent is one event of a stream.
type sseEvent struct{ name, data string }

// sseEvents reads a stream's events as graphql-sse does: comment lines are
// keep-alives; an empty line ends an event.
func sseEvents(r io.Reader) func() (sseEvent, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return func() (sseEvent, error) {
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					return ev, nil
				}
			case strings.HasPrefix(line, ":"):
			case strings.HasPrefix(line, "event:"):
				ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				ev.data += strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
			}
		}
		if err := sc.Err(); err != nil {
			return ev, err
		}
		return ev, errors.New("the stream ended")
	}
}

// metric reads a metric of the service's /metrics (the first line that
// starts with series), -1 when there is none.
func (l *live) metric(series string) float64 {
	l.t.Helper()
	resp, err := (&http.Client{Transport: l.rt}).Get("http://service.test/metrics")
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				l.t.Fatalf("%s: %q", series, line)
			}
			return f
		}
	}
	return -1
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }
