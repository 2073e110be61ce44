package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Close codes of the graphql-transport-ws protocol that gqlgen's transport
// does not send (it closes with 1002 or 1000 instead), and 1001 for a
// server going away.
const (
	closeGoingAway        = 1001
	closeBadRequest       = 4400 // an invalid message
	closeUnauthorized     = 4401 // no usable credential; or subscribe before connection_init
	closeNotAcceptable    = 4406 // graphql-transport-ws not offered
	closeInitTimeout      = 4408 // no connection_init in time
	closeDuplicateID      = 4409 // subscribe with an id still running
	closeTooManyInitCalls = 4429 // connection_init twice
)

// wsGuard wraps the connection gqlgen's transport.Websocket reads and
// writes, to hold it to the graphql-transport-ws protocol where gqlgen does
// not, and to bound what one connection may run. It sees every message:
//
//   - reading, it closes the connection with the protocol's code on an
//     invalid message (4400), a subscribe before connection_init (4401), a
//     second connection_init (4429), and a subscribe whose id is still
//     running (4409); it answers a subscribe over the connection's limit of
//     operations with an error message for that id, itself;
//   - writing, it learns which operations are over (complete, error),
//     drops gqlgen's complete for an operation the client completed (the
//     protocol allows nothing more for it), and disconnects a client that
//     does not take a message in time;
//   - a timer closes a connection that sends no connection_init in time
//     (4408);
//   - on shutdown the connection is closed with 1001 once its last
//     operation has ended (shutdown).
type wsGuard struct {
	transport.WebsocketConn
	maxOps       int
	writeTimeout time.Duration

	mu       sync.Mutex
	initDone bool
	active   map[string]bool
	closed   bool // a close was sent
	draining bool // closing once no operation is left
	timer    *time.Timer
	onClose  func()
}

func newWSGuard(c transport.WebsocketConn, cfg StreamConfig) *wsGuard {
	g := &wsGuard{WebsocketConn: c, maxOps: max(cfg.MaxOperationsPerConnection, 1), writeTimeout: cfg.WriteTimeout, active: map[string]bool{}}
	g.timer = time.AfterFunc(cfg.InitTimeout, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if !g.initDone {
			g.closeLocked(closeInitTimeout, "Connection initialisation timeout")
		}
	})
	return g
}

// wsHeader is what the guard reads of a message.
type wsHeader struct {
	Type string  `json:"type"`
	ID   *string `json:"id"`
}

func (g *wsGuard) NextReader() (int, io.Reader, error) {
	for {
		kind, r, err := g.WebsocketConn.NextReader()
		if err != nil {
			return kind, r, err
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return kind, nil, err
		}
		if pass := g.read(data); !pass {
			if g.isClosed() {
				return kind, nil, transport.ErrWebsocketClosed
			}
			continue
		}
		return kind, bytes.NewReader(data), nil
	}
}

// read checks one message from the client; false: it is not passed on.
func (g *wsGuard) read(data []byte) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	var h wsHeader
	if err := json.Unmarshal(data, &h); err != nil || h.Type == "" {
		g.closeLocked(closeBadRequest, "Invalid message received")
		return false
	}
	switch h.Type {
	case "connection_init":
		if g.initDone {
			g.closeLocked(closeTooManyInitCalls, "Too many initialisation requests")
			return false
		}
		g.initDone = true
		g.timer.Stop()
	case "subscribe":
		switch {
		case !g.initDone:
			g.closeLocked(closeUnauthorized, "Unauthorized")
			return false
		case h.ID == nil || *h.ID == "":
			g.closeLocked(closeBadRequest, "Invalid message received: a subscribe without an id")
			return false
		case g.active[*h.ID]:
			g.closeLocked(closeDuplicateID, truncateReason("Subscriber for "+*h.ID+" already exists"))
			return false
		case g.draining:
			g.refuseLocked(*h.ID, codedError(CodeServiceUnavailable, "the server is shutting down: send this operation to another replica"))
			return false
		case len(g.active) >= g.maxOps:
			e := tooExpensive(fmt.Sprintf("this connection already runs %d operations, the most it may: complete one first", g.maxOps),
				map[string]any{"operations": g.maxOps, "maxOperations": g.maxOps})
			g.refuseLocked(*h.ID, e)
			return false
		}
		g.active[*h.ID] = true
	case "complete":
		if h.ID != nil {
			g.endedLocked(*h.ID)
		}
	case "ping", "pong":
	default:
		g.closeLocked(closeBadRequest, truncateReason("Invalid message received: type "+h.Type))
		return false
	}
	return true
}

// refuseLocked answers a subscribe with an error message for its id: the
// protocol's way to end one operation, leaving the others running.
func (g *wsGuard) refuseLocked(id string, err error) {
	payload, _ := json.Marshal([]error{err})
	_ = g.write(map[string]any{"id": id, "type": "error", "payload": json.RawMessage(payload)})
}

func (g *wsGuard) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var h wsHeader
	if json.Unmarshal(data, &h) != nil || (h.Type != "complete" && h.Type != "error") || h.ID == nil {
		return g.write(json.RawMessage(data))
	}
	g.mu.Lock()
	running := g.active[*h.ID]
	g.mu.Unlock()
	if !running {
		return nil // the client completed it: nothing more may be sent for it
	}
	err = g.write(json.RawMessage(data))
	g.mu.Lock() // the end of the last operation may close the connection: after its message
	g.endedLocked(*h.ID)
	g.mu.Unlock()
	return err
}

// write sends one message; a client that does not take it within the
// write timeout is disconnected (the WebSocket library gives writes no
// deadline of their own).
func (g *wsGuard) write(v any) error {
	if g.writeTimeout > 0 {
		t := time.AfterFunc(g.writeTimeout, func() { _ = g.WebsocketConn.Close() })
		defer t.Stop()
	}
	return g.WebsocketConn.WriteJSON(v)
}

// endedLocked forgets an operation; the last one of a draining connection
// closes it.
func (g *wsGuard) endedLocked(id string) {
	delete(g.active, id)
	if g.draining && len(g.active) == 0 {
		g.closeLocked(closeGoingAway, "the server is shutting down")
	}
}

func (g *wsGuard) WriteClose(code int, reason string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.draining && code == transport.WebsocketCloseNormalClosure {
		code, reason = closeGoingAway, "the server is shutting down"
	}
	g.closeLocked(code, reason)
	return nil
}

func (g *wsGuard) closeLocked(code int, reason string) {
	if g.closed {
		return
	}
	g.closed = true
	g.timer.Stop()
	_ = g.WebsocketConn.WriteClose(code, reason)
}

func (g *wsGuard) isClosed() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closed
}

func (g *wsGuard) Close() error {
	g.mu.Lock()
	g.closed = true
	g.timer.Stop()
	onClose := g.onClose
	g.mu.Unlock()
	if onClose != nil {
		onClose()
	}
	return g.WebsocketConn.Close()
}

// shutdown closes the connection with 1001 now if it runs nothing, else
// once its last operation has ended; it takes no new one meanwhile.
func (g *wsGuard) shutdown() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.draining = true
	if len(g.active) == 0 {
		g.closeLocked(closeGoingAway, "the server is shutting down")
	}
}

// SetReadLimit and SetReadDeadline pass gqlgen's read limit and missing-pong
// deadline on to the connection.
func (g *wsGuard) SetReadLimit(limit int64) {
	if l, ok := g.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (g *wsGuard) SetReadDeadline(t time.Time) error {
	if d, ok := g.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// truncateReason keeps a close reason within the 123 bytes a close frame
// allows, cut at a character.
func truncateReason(s string) string {
	if len(s) <= 123 {
		return s
	}
	return strings.ToValidUTF8(s[:123], "")
}
