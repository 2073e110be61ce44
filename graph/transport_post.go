package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// jsonPOST is GraphQL over HTTP POST with a JSON body, like gqlgen's
// transport.POST but for how the answer is written: gqlgen marshals the
// whole response with encoding/json, which re-validates and re-compacts the
// data it has just produced as JSON — about a tenth of the service's CPU on
// a page of logs. The data here is written as it is. The body is read by
// decodeParams, which refuses ambiguous request objects.
type jsonPOST struct{}

var _ graphql.Transport = jsonPOST{}

func (jsonPOST) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == "application/json"
}

func (jsonPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", "application/json")
	ctx := r.Context()
	start := graphql.Now()
	var params graphql.RawParams
	if err := decodeParams(r.Body, &params); err != nil {
		gqlErr := gqlerror.Errorf("json request body could not be decoded: %v", err)
		if shape, ok := errors.AsType[*requestShapeError](err); ok {
			gqlErr = badInput(shape.msg)
		}
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlErr}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, opErr := exec.CreateOperationContext(ctx, &params)
	if opErr != nil {
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			w.WriteHeader(http.StatusUnprocessableEntity) // did not parse or validate
		}
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil { // the request ended (deadline, client gone) before it could run
		resp = &graphql.Response{Errors: gqlerror.List{requestEnded(ctx.Err())}}
	}
	writeResponse(w, resp)
}

// writeResponse writes {"errors":…,"data":…,"extensions":…}; only errors
// and extensions go through encoding/json, the data is already JSON.
func writeResponse(w io.Writer, resp *graphql.Response) {
	var buf bytes.Buffer
	buf.Grow(len(resp.Data) + 64)
	buf.WriteByte('{')
	if len(resp.Errors) > 0 {
		b, err := json.Marshal(resp.Errors)
		if err != nil {
			b = []byte(`[{"message":"the errors could not be written"}]`)
		}
		buf.WriteString(`"errors":`)
		buf.Write(b)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		buf.WriteString("null")
	} else {
		buf.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		if b, err := json.Marshal(resp.Extensions); err == nil {
			buf.WriteString(`,"extensions":`)
			buf.Write(b)
		}
	}
	buf.WriteByte('}')
	_, _ = w.Write(buf.Bytes())
}
