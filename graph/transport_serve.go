package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// serveParams runs one GraphQL request that a transport has read (our POST
// and GET share it) and writes its answer in mediaType, which the transport
// has already set as Content-Type. With queriesOnly (GET), a mutation is
// refused with 405 before it runs.
//
// Statuses: 200 for an answer with data (field errors included); for an
// answer without data, requestErrorStatus; 400 for a request that is not
// well formed (no query) or a subscription (it needs a stream), and 405 for
// a mutation over GET, in either media type.
func serveParams(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, params *graphql.RawParams, mediaType string, queriesOnly bool) {
	ctx := r.Context()
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		writeAnswer(w, http.StatusBadRequest, exec.DispatchError(ctx, gqlerror.List{badInput("the request has no query")}))
		return
	}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		opErr = nameTheOperation(rc, params, opErr)
		writeAnswer(w, requestErrorStatus(mediaType), exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	if rc.Operation.Operation == ast.Subscription {
		refusal := badInput("a subscription needs a stream: open a WebSocket (graphql-transport-ws) on this endpoint, or POST it with Accept: text/event-stream")
		writeAnswer(w, http.StatusBadRequest, exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{refusal}))
		return
	}
	if queriesOnly && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		refusal := badInput(fmt.Sprintf("a %s cannot be sent with GET: send it with POST", rc.Operation.Operation))
		writeAnswer(w, http.StatusMethodNotAllowed, exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{refusal}))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil { // the request ended (deadline, client gone) while it ran
		resp = &graphql.Response{Errors: gqlerror.List{requestEnded(ctx.Err())}, Data: json.RawMessage("null")}
	}
	status := http.StatusOK
	if len(resp.Data) == 0 {
		status = requestErrorStatus(mediaType)
	}
	writeAnswer(w, status, resp)
}

// nameTheOperation replaces gqlgen's answer to a document of several
// operations sent without operationName — "operation  not found", with the
// empty name between two spaces — by one that says what to do.
func nameTheOperation(rc *graphql.OperationContext, params *graphql.RawParams, errs gqlerror.List) gqlerror.List {
	if rc == nil || rc.Doc == nil || rc.Operation != nil || params.OperationName != "" {
		return errs
	}
	err := gqlerror.Errorf("the document has %d operations: name the one to run in operationName", len(rc.Doc.Operations))
	errcode.Set(err, errcode.ValidationFailed)
	return gqlerror.List{err}
}

// writeAnswer writes resp with status; the transport has set Content-Type.
// The answer is assembled first so that it goes out with a Content-Length:
// net/http otherwise frames it in chunks, with one more write (a system
// call) on the request's path to end them.
func writeAnswer(w http.ResponseWriter, status int, resp *graphql.Response) {
	buf := answerBuffers.Get().(*bytes.Buffer)
	defer putAnswerBuffer(buf)
	appendResponse(buf, resp)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeResponse writes {"errors":…,"data":…,"extensions":…}; only errors
// and extensions go through encoding/json, the data is already JSON (gqlgen
// marshals the whole response with encoding/json, which re-validates and
// re-compacts the data it has just produced as JSON — about a tenth of the
// service's CPU on a page of logs). An answer that has no data — a request
// error, which never ran — has no "data" member at all, as the
// GraphQL-over-HTTP specification asks; one that ran has it, null or not.
func writeResponse(w io.Writer, resp *graphql.Response) {
	buf := answerBuffers.Get().(*bytes.Buffer)
	defer putAnswerBuffer(buf)
	appendResponse(buf, resp)
	_, _ = w.Write(buf.Bytes())
}

// appendResponse assembles what writeResponse writes in buf (reset first).
func appendResponse(buf *bytes.Buffer, resp *graphql.Response) {
	buf.Reset()
	buf.Grow(len(resp.Data) + 64)
	buf.WriteByte('{')
	sep := false
	if len(resp.Errors) > 0 {
		b, err := json.Marshal(resp.Errors)
		if err != nil {
			b = []byte(`[{"message":"the errors could not be written","extensions":{"code":"` + CodeInternalServerError + `"}}]`)
		}
		buf.WriteString(`"errors":`)
		buf.Write(b)
		sep = true
	}
	if len(resp.Data) > 0 {
		if sep {
			buf.WriteByte(',')
		}
		buf.WriteString(`"data":`)
		buf.Write(resp.Data)
		sep = true
	}
	if len(resp.Extensions) > 0 {
		if b, err := json.Marshal(resp.Extensions); err == nil {
			if sep {
				buf.WriteByte(',')
			}
			buf.WriteString(`"extensions":`)
			buf.Write(b)
		}
	}
	buf.WriteByte('}')
}

// answerBuffers keeps the buffers answers are assembled in: a page of logs
// is tens of kilobytes, allocated and cleared afresh for every answer
// otherwise. A buffer that grew past maxPooledAnswer is left to the
// collector, so that one huge answer does not stay in memory.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledAnswer = 256 << 10

func putAnswerBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledAnswer {
		answerBuffers.Put(b)
	}
}
