package app

import (
	"fmt"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// StreamSettings bound the live tail (Subscription.logAdded) and the
// WebSocket and event-stream connections that carry it.
type StreamSettings struct {
	MaxPerCredential    int           // subscriptions one credential may hold at once
	MaxOpsPerConnection int           // operations one WebSocket may run at once
	MaxStreams          int           // WebSockets and event streams open at once; more are answered 503
	Queue               int           // events waiting per subscriber; one that falls further behind is ended
	MinInterval         time.Duration // a poller's interval while logs arrive
	MaxInterval         time.Duration // a poller's longest interval, while none do
	KeepAlive           time.Duration // how often an idle stream is pinged
}

func defaultStreams() StreamSettings {
	return StreamSettings{
		MaxPerCredential: 20, MaxOpsPerConnection: 10, MaxStreams: 1000, Queue: 256,
		MinInterval: 2 * time.Second, MaxInterval: 30 * time.Second, KeepAlive: 15 * time.Second,
	}
}

func (s StreamSettings) validate() error {
	for _, v := range []struct {
		name  string
		value int
	}{
		{"max-subscriptions-per-credential (MAX_SUBSCRIPTIONS_PER_CREDENTIAL)", s.MaxPerCredential},
		{"max-operations-per-connection (MAX_OPERATIONS_PER_CONNECTION)", s.MaxOpsPerConnection},
		{"max-streams (MAX_STREAMS)", s.MaxStreams},
	} {
		if v.value < 1 {
			return fmt.Errorf("%s is %d: it must be at least 1", v.name, v.value)
		}
	}
	if s.Queue < restclient.MaxPerPage {
		// A poll hands a whole page out at once: a shorter queue would end
		// even a subscriber that keeps up.
		return fmt.Errorf("subscription-queue (SUBSCRIPTION_QUEUE) is %d: it must be at least %d, the logs one poll may bring", s.Queue, restclient.MaxPerPage)
	}
	switch {
	case s.MinInterval < 100*time.Millisecond:
		return fmt.Errorf("tail-min-interval (TAIL_MIN_INTERVAL) is %v: it must be at least 100ms", s.MinInterval)
	case s.MaxInterval < s.MinInterval:
		return fmt.Errorf("tail-max-interval (TAIL_MAX_INTERVAL) is %v: it must be at least tail-min-interval (%v)", s.MaxInterval, s.MinInterval)
	case s.KeepAlive < time.Second:
		return fmt.Errorf("stream-keepalive (STREAM_KEEPALIVE) is %v: it must be at least 1s", s.KeepAlive)
	}
	return nil
}
