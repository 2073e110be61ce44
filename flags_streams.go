package main

import "github.com/aigw/gqlfacade/internal/app"

// streams declares the settings of the live tail (Subscription.logAdded)
// and of the WebSocket and event-stream connections that carry it.
func (s *settings) streams(c *app.StreamSettings) {
	d := app.Defaults().Streams
	s.int(&c.MaxPerCredential, "max-subscriptions-per-credential", "MAX_SUBSCRIPTIONS_PER_CREDENTIAL", d.MaxPerCredential, "subscriptions one credential may hold at once; more are QUERY_TOO_EXPENSIVE")
	s.int(&c.MaxOpsPerConnection, "max-operations-per-connection", "MAX_OPERATIONS_PER_CONNECTION", d.MaxOpsPerConnection, "operations (subscriptions and queries) one WebSocket may run at once; more are QUERY_TOO_EXPENSIVE")
	s.int(&c.MaxStreams, "max-streams", "MAX_STREAMS", d.MaxStreams, "WebSockets and event streams open at once; more are answered 503 SERVICE_UNAVAILABLE with Retry-After")
	s.int(&c.Queue, "subscription-queue", "SUBSCRIPTION_QUEUE", d.Queue, "events that may wait for one subscriber; a subscriber that falls further behind is ended with SLOW_SUBSCRIBER")
	s.duration(&c.MinInterval, "tail-min-interval", "TAIL_MIN_INTERVAL", d.MinInterval, "how often a subscription's poller asks for new logs while they arrive")
	s.duration(&c.MaxInterval, "tail-max-interval", "TAIL_MAX_INTERVAL", d.MaxInterval, "the longest a poller waits between polls: its interval doubles up to this while no log arrives")
	s.duration(&c.KeepAlive, "stream-keepalive", "STREAM_KEEPALIVE", d.KeepAlive, "how often an idle WebSocket or event stream is pinged; a WebSocket that misses two pongs is closed")
}
