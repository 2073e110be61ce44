package graph

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// IsStream reports whether r opens a stream on /query: a WebSocket, or a
// POST that asks for Server-Sent Events first. A stream lives as long as
// its subscriptions, so it is bounded by the subscription limits instead
// of the request deadline and the in-flight bound.
func IsStream(r *http.Request) bool { return isWebSocket(r) || wantsEventStream(r) }

func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// wantsEventStream: a JSON POST whose Accept puts text/event-stream first
// among the types it wants most. graphql-sse sends Accept:
// text/event-stream alone; urql lists it last of five with every query,
// and must get JSON.
func wantsEventStream(r *http.Request) bool {
	if r.Method != http.MethodPost || isWebSocket(r) {
		return false
	}
	if mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mediaType != "application/json" {
		return false
	}
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		if q > bestQ {
			best, bestQ = mediaType, q
		}
	}
	return best == "text/event-stream"
}
