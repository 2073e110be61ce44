package graph

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// sseTransport is GraphQL over Server-Sent Events in graphql-sse's
// "distinct connections" mode (one operation per request, its results as
// `next` events, then `complete`): gqlgen's transport.SSE, which runs it,
// taking only the requests that ask for an event stream first
// (wantsEventStream), with what it leaves out done before it:
//
//   - a request without a usable credential is answered 401
//     UNAUTHENTICATED before anything runs;
//   - the body is read as strictly as a POST's (decodeParams): gqlgen's
//     own decoding logs the whole body on an error, variables included;
//   - every write gets the stream write timeout as its deadline, instead
//     of the server's deadline for a whole answer, which would cut every
//     stream short;
//   - `complete` carries the empty data line the protocol asks for, so that
//     a browser's EventSource fires it.
type sseTransport struct {
	sse         transport.SSE
	cfg         StreamConfig
	serverToken string
}

var _ graphql.Transport = sseTransport{}

func (r *Resolver) eventStreamTransport() sseTransport {
	return sseTransport{sse: transport.SSE{KeepAlivePingInterval: r.Config.Streams.KeepAlive}, cfg: r.Config.Streams, serverToken: r.Config.ServerToken}
}

func (sseTransport) Supports(r *http.Request) bool { return wantsEventStream(r) }

func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if _, err := credentialsFor(r.Context(), t.serverToken); err != nil {
		var gqlErr *gqlerror.Error
		if !errors.As(err, &gqlErr) {
			gqlErr = codedError(CodeUnauthenticated, err.Error())
		}
		WriteError(w, r, http.StatusUnauthorized, gqlErr)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = decodeParams(bytes.NewReader(body), &graphql.RawParams{})
	}
	if err != nil {
		if tooLarge, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeBodyTooLarge(w, r, tooLarge.Limit)
			return
		}
		msg := "the request body could not be decoded as JSON: " + err.Error()
		if shape, ok := errors.AsType[*requestShapeError](err); ok {
			msg = shape.msg
		}
		WriteError(w, r, http.StatusBadRequest, badInput(msg))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.sse.Do(&sseWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: t.cfg.WriteTimeout}, r, exec)
}

// sseWriter is the stream's http.ResponseWriter (see sseTransport).
type sseWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

// gqlgenComplete is the complete event as gqlgen writes it (in one Write);
// sseComplete as the protocol asks.
var (
	gqlgenComplete = []byte("event: complete\n\n")
	sseComplete    = []byte("event: complete\ndata:\n\n")
)

func (w *sseWriter) Write(b []byte) (int, error) {
	w.deadline()
	if bytes.Equal(b, gqlgenComplete) {
		if _, err := w.ResponseWriter.Write(sseComplete); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *sseWriter) Flush() {
	w.deadline()
	_ = w.rc.Flush()
}

func (w *sseWriter) deadline() {
	if w.timeout > 0 {
		_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *sseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
