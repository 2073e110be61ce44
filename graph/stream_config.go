package graph

import "time"

// StreamConfig configures the transports that stream (WebSocket and
// Server-Sent Events) and what one connection may hold.
type StreamConfig struct {
	// KeepAlive is how often an idle stream is pinged: a graphql-transport-ws
	// ping (a client that does not answer within two of them is
	// disconnected) or an SSE comment. It keeps proxies from closing a
	// quiet stream.
	KeepAlive time.Duration
	// InitTimeout is how long a WebSocket may take to send connection_init
	// (closed with 4408 after it).
	InitTimeout time.Duration
	// MaxOperationsPerConnection is the most operations one WebSocket may
	// run at once, subscriptions and queries alike (SSE runs one per
	// request).
	MaxOperationsPerConnection int
	// WriteTimeout is how long one event may take to reach a client: a
	// client that stops reading its stream is disconnected after it.
	WriteTimeout time.Duration
	// OriginPatterns are the hosts, besides the server's own, whose pages
	// may open a WebSocket (path.Match patterns such as "*.example.com",
	// as CORS allows them for /query). Browsers let any page open one,
	// and this server may answer with its own token.
	OriginPatterns []string
}

// DefaultStreamConfig holds the documented defaults.
func DefaultStreamConfig() StreamConfig {
	return StreamConfig{KeepAlive: 15 * time.Second, InitTimeout: 10 * time.Second, MaxOperationsPerConnection: 10, WriteTimeout: 10 * time.Second}
}

// CloseStreams ends every subscription, each with a last event that says
// SERVICE_UNAVAILABLE and holds the cursor to resume from, refuses new
// ones, and closes every WebSocket (1001) once its operations have ended.
// The server calls it as it starts shutting down: then its streams end
// within the grace period instead of holding it to the end.
func (r *Resolver) CloseStreams() {
	if r.Tail != nil {
		r.Tail.Close()
	}
	r.wsConns().shutdown()
}
