package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// graphqlTransportWS is the one WebSocket subprotocol served: the
// graphql-ws library's. The older subscriptions-transport-ws ("graphql-ws")
// that gqlgen also speaks is not offered.
const graphqlTransportWS = "graphql-transport-ws"

// wsTransport is GraphQL over WebSocket: gqlgen's transport.Websocket,
// which runs the protocol, with the checks it leaves out done before it
// (the handshake, the page's origin, the subprotocol) and around it (the
// credential at connection_init, wsGuard).
type wsTransport struct {
	ws    transport.Websocket
	cfg   StreamConfig
	conns *wsConns
}

var _ graphql.Transport = wsTransport{}

func (r *Resolver) websocketTransport() wsTransport {
	t := wsTransport{cfg: r.Config.Streams, conns: r.wsConns()}
	readLimit := r.Config.MaxBodyBytes // a message is a request: bounded as a body is
	t.ws = transport.Websocket{
		Implementation: guardedWS{cfg: t.cfg, conns: t.conns},
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			return r.initWS(ctx, p)
		},
		PingPongInterval: t.cfg.KeepAlive,
		PayloadReadLimit: &readLimit,
	}
	return t
}

func (wsTransport) Supports(r *http.Request) bool { return isWebSocket(r) }

func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	refuse := func(status int, msg string) {
		WriteError(w, r, status, badInput(msg))
	}
	switch {
	case r.Method != http.MethodGet || r.Header.Get("Sec-WebSocket-Key") == "" || r.Header.Get("Sec-WebSocket-Version") != "13":
		refuse(http.StatusBadRequest, "not a WebSocket handshake: GET with Upgrade: websocket, Sec-WebSocket-Key and Sec-WebSocket-Version: 13")
		return
	case !originAllowed(r, t.cfg.OriginPatterns):
		refuse(http.StatusForbidden, fmt.Sprintf("pages of %s may not open a WebSocket to this server (-cors-allowed-origins)", r.Header.Get("Origin")))
		return
	case !offers(r, graphqlTransportWS):
		// As graphql-ws's own servers do: accept, then close with 4406.
		c, err := coderws.Accept(w, r, &coderws.AcceptOptions{InsecureSkipVerify: true})
		if err == nil {
			_ = c.Close(closeNotAcceptable, "Subprotocol not acceptable: use graphql-transport-ws")
		}
		return
	}
	t.ws.Do(w, r, exec)
}

// originAllowed: a request without Origin (not from a browser), from a page
// of this server, or from one of patterns (scheme://host or host patterns,
// as path.Match reads them).
func originAllowed(r *http.Request, patterns []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, p := range patterns {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return true
		}
	}
	return false
}

// offers reports whether the handshake lists subprotocol.
func offers(r *http.Request, subprotocol string) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(p) == subprotocol {
				return true
			}
		}
	}
	return false
}

// guardedWS accepts the connection with gqlgen's own WebSocket adapter
// (github.com/coder/websocket), agreeing to graphql-transport-ws only, and
// hands gqlgen the connection inside a wsGuard.
type guardedWS struct {
	cfg   StreamConfig
	conns *wsConns
}

func (g guardedWS) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	opts.Subprotocols = []string{graphqlTransportWS}
	inner := transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{OriginPatterns: g.cfg.OriginPatterns}}
	c, err := inner.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	guard := newWSGuard(c, g.cfg)
	g.conns.add(guard)
	return guard, nil
}

// initWS reads the credential of a connection at connection_init: from
// its payload (Authorization, or X-Auth-Email and X-Auth-Key, as headers
// are written) when it holds one, else from the handshake's headers. No
// usable credential (and no server token) closes the connection with 4401
// before anything reaches the upstream.
func (r *Resolver) initWS(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	h := http.Header{}
	for k, v := range payload {
		name := http.CanonicalHeaderKey(k)
		if name != "Authorization" && name != "X-Auth-Email" && name != "X-Auth-Key" {
			continue
		}
		s, ok := v.(string)
		if !ok {
			s = "" // not a string: refused as a credential sent empty
		}
		h[name] = append(h[name], s)
	}
	if len(h) > 0 {
		ctx = context.WithValue(ctx, credentialsKey{}, readCredentials(h))
	}
	if _, err := credentialsFor(ctx, r.Config.ServerToken); err != nil {
		ctx = transport.WithWebsocketCloseCode(ctx, closeUnauthorized)
		reason := "Unauthorized"
		if e, ok := errors.AsType[*gqlerror.Error](err); ok {
			reason += ": " + e.Message
		}
		return transport.AppendCloseReason(ctx, truncateReason(reason)), nil, err
	}
	return ctx, nil, nil
}

// wsConns are the open WebSocket connections, for a clean shutdown.
type wsConns struct {
	mu      sync.Mutex
	set     map[*wsGuard]struct{}
	closing bool
}

func (r *Resolver) wsConns() *wsConns {
	r.streamsOnce.Do(func() { r.streams = &wsConns{set: map[*wsGuard]struct{}{}} })
	return r.streams
}

func (c *wsConns) add(g *wsGuard) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		g.shutdown()
		return
	}
	c.set[g] = struct{}{}
	g.mu.Lock()
	g.onClose = func() { c.remove(g) }
	g.mu.Unlock()
}

func (c *wsConns) remove(g *wsGuard) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.set, g)
}

// shutdown closes every connection with 1001 once its operations have
// ended, and any that opens from now on at once.
func (c *wsConns) shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closing = true
	for g := range c.set {
		g.shutdown()
	}
}
