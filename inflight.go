package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aigw/gqlfacade/graph"
)

// retryAfterSeconds is what a refused client is told to wait: requests
// being served finish within about a second unless the upstream is slow.
const retryAfterSeconds = 1

// limitInFlight serves at most max requests at once and answers any more
// with 503 SERVICE_UNAVAILABLE and Retry-After at once, instead of queueing
// them: a queue only turns overload into timeouts, and a client told to
// retry can go to another replica.
//
// A request takes its slot only once its body is in (up to maxBody bytes;
// the body limit inside refuses longer ones as before): a client that
// trickles its body holds a connection, bounded by the read timeout, but
// never a slot, so slow clients cannot lock others out.
func limitInFlight(max int, maxBody int64, reg prometheus.Registerer) func(http.Handler) http.Handler {
	slots := make(chan struct{}, max)
	rejected := prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: "gqlfacade", Subsystem: "http", Name: "requests_rejected_total",
		Help: "GraphQL requests answered 503 SERVICE_UNAVAILABLE because -max-in-flight requests were being served.",
	})
	inFlight := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gqlfacade", Subsystem: "http", Name: "requests_in_flight",
		Help: "GraphQL requests being served (their bodies read), at most -max-in-flight.",
	}, func() float64 { return float64(len(slots)) })
	reg.MustRegister(rejected, inFlight)
	refusal := refusalBody(max)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			bufferBody(r, maxBody)
			select {
			case slots <- struct{}{}:
			default:
				rejected.Inc()
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write(refusal)
				return
			}
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		})
	}
}

// refusalBody is the GraphQL-shaped answer of a refused request.
func refusalBody(max int) []byte {
	b, _ := json.Marshal(map[string]any{
		"errors": []map[string]any{{
			"message": fmt.Sprintf("the server is serving as many requests as it may (%d); retry in %d s", max, retryAfterSeconds),
			"extensions": map[string]any{
				"code":       graph.CodeServiceUnavailable,
				"retryAfter": retryAfterSeconds,
			},
		}},
		"data": nil,
	})
	return b
}

// bufferBody reads r's body into memory, so that the time a client takes to
// send it passes before the request takes a slot. Whatever happens reading
// it is replayed to the handler unchanged: the bytes read, then the rest of
// a body over maxBody (for the body limit to refuse) or the read's error
// (e.g. the read timeout).
func bufferBody(r *http.Request, maxBody int64) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > maxBody {
		return // nothing to read, or refused by the body limit unread
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
	var rest io.Reader = r.Body
	if err != nil {
		rest = errReader{err}
	}
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(buf), rest))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
