package graph

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// jsonPOST is GraphQL over HTTP POST with a JSON body, like gqlgen's
// transport.POST — same Accept negotiation and response headers
// (TestPOSTParityWithGqlgen) — but for how the body is read and the answer
// written: the body is read by decodeParams, which refuses ambiguous
// request objects; the answer by writeResponse, which does not re-encode
// the data; and its statuses follow the GraphQL-over-HTTP specification
// (serveParams) where gqlgen answers a request error in application/json
// with 422.
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
	mediaType := responseMediaType(r)
	w.Header().Set("Content-Type", mediaType)
	start := graphql.Now()
	var params graphql.RawParams
	if err := decodeParams(r.Body, &params); err != nil {
		if tooLarge, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeBodyTooLarge(w, r, tooLarge.Limit)
			return
		}
		gqlErr := badInput("the request body could not be decoded as JSON: " + err.Error())
		if shape, ok := errors.AsType[*requestShapeError](err); ok {
			gqlErr = badInput(shape.msg)
		} else if err == io.EOF {
			gqlErr = badInput("the request body is empty: send a JSON object with a query")
		}
		writeAnswer(w, http.StatusBadRequest, exec.DispatchError(r.Context(), gqlerror.List{gqlErr}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	serveParams(w, r, exec, &params, mediaType, false)
}
