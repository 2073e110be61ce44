package app

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/graph"
)

// limitInFlight serves at most max requests at once and answers any more
// with 503 SERVICE_UNAVAILABLE and Retry-After at once, instead of queueing
// them: a queue only turns overload into timeouts, and a client told to
// retry can go to another replica.
//
// A request takes its slot only once its body is in (up to maxBody bytes;
// the body limit inside refuses longer ones as before): a client that
// trickles its body holds a connection, bounded by the read timeout, but
// never a slot, so slow clients cannot lock others out. A body that could
// not be read (the read timeout passed, the client hung up) runs nothing:
// it is answered here without a slot, so that many slow clients cut off at
// once do not crowd out the requests being served.
func limitInFlight(max int, maxBody int64, reg prometheus.Registerer) func(http.Handler) http.Handler {
	requests := newSlots(max, "is serving as many requests", reg, slotMetrics{
		rejectedName: "requests_rejected_total",
		rejectedHelp: "GraphQL requests answered 503 SERVICE_UNAVAILABLE because -max-in-flight requests were being served.",
		inUseName:    "requests_in_flight",
		inUseHelp:    "GraphQL requests being served (their bodies read), at most -max-in-flight.",
	})
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := bufferBody(r, maxBody); err != nil {
				if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
					graph.WriteError(w, r, http.StatusRequestTimeout, codedError(graph.CodeBadUserInput, "the request body did not arrive within the server's read timeout"))
				} else {
					graph.WriteError(w, r, http.StatusBadRequest, codedError(graph.CodeBadUserInput, "the request body could not be read"))
				}
				return
			}
			release := requests.take(w, r)
			if release == nil {
				return
			}
			defer release()
			next.ServeHTTP(w, r)
		})
	}
}

func codedError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// bufferBody reads r's body into memory, so that the time a client takes to
// send it passes before the request takes a slot; the handler reads the
// bytes read, then the rest of a body over maxBody (for the body limit to
// refuse). It returns the read's error, if any.
func bufferBody(r *http.Request, maxBody int64) error {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > maxBody {
		return nil // nothing to read, or refused by the body limit unread
	}
	var buf []byte
	var err error
	if r.ContentLength > 0 {
		buf = make([]byte, r.ContentLength)
		var n int
		n, err = io.ReadFull(r.Body, buf)
		buf = buf[:n]
	} else {
		buf, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	}
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(buf), r.Body))
	return nil
}
