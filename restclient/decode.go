package restclient

import (
	"encoding/json"
	"fmt"
	"strings"

	gojson "github.com/goccy/go-json"
)

// decodeJSON decodes every answer of the API. github.com/goccy/go-json
// decodes a page in one pass, reflection compiled once per type, at a
// fraction of encoding/json's cost, with encoding/json's semantics:
// FuzzDecodeAgrees holds the two to the same result on any bytes.
func decodeJSON(data []byte, v any) error { return gojson.Unmarshal(data, v) }

// decoder reads the 2xx body of one call. unmarshal is passed along rather
// than called directly so that the tests can run the very same decoding
// over encoding/json; scrub cleans upstream messages before they go into an
// error.
type decoder struct {
	unmarshal func(data []byte, v any) error
	scrub     func(string) string
}

// bodyDecoder is implemented by the outputs of Client.do that decode the
// whole 2xx body themselves (each endpoint its own wire shape); any other
// output gets the envelope's result (resultOut).
type bodyDecoder interface {
	decodeBody(d decoder, body []byte) error
}

// envelopeStatus is what every envelope says of itself. errors is kept
// raw: it is read only when success is false, and an odd errors member must
// not fail an answer that succeeded.
type envelopeStatus struct {
	Success *bool           `json:"success"`
	Errors  json.RawMessage `json:"errors"`
}

func (s *envelopeStatus) status() *envelopeStatus { return s }

// envelope is Cloudflare's answer wrapper around a result of type R.
type envelope[R any] struct {
	envelopeStatus
	Result R `json:"result"`
}

// listEnvelope is the envelope of a list answer, with its paging block.
type listEnvelope[R any] struct {
	envelope[R]
	ResultInfo *wireResultInfo `json:"result_info"`
}

// decodeEnvelope decodes a 2xx body into env in one pass and checks that it
// is a JSON object with success:true.
func decodeEnvelope(d decoder, body []byte, env interface{ status() *envelopeStatus }) error {
	err := d.unmarshal(body, env)
	st := env.status()
	switch {
	case st.Success != nil && !*st.Success:
		// The upstream's own reason says more than whatever else is wrong
		// with the body (a result of another shape, say).
		var msgs []string
		for _, e := range parseErrorDetails(d.unmarshal, st.Errors) {
			msgs = append(msgs, d.scrub(e.Message))
		}
		return malformed(fmt.Sprintf("2xx answer with success:false (%s)", strings.Join(msgs, "; ")), nil)
	case err != nil:
		return malformed("body is not a JSON envelope of the expected shape", err)
	case st.Success == nil:
		return malformed("envelope has no success field", nil)
	}
	return nil
}

// resultOut decodes the envelope's result into v (any type), or only checks
// the envelope when v is nil.
type resultOut struct{ v any }

func (o resultOut) decodeBody(d decoder, body []byte) error {
	var env envelope[json.RawMessage]
	if err := decodeEnvelope(d, body, &env); err != nil {
		return err
	}
	if o.v == nil {
		return nil
	}
	if len(env.Result) == 0 {
		return malformed("envelope has no result", nil)
	}
	if err := d.unmarshal(env.Result, o.v); err != nil {
		return malformed("result has the wrong shape", err)
	}
	return nil
}

// errorEnvelope is what is read of a non-2xx answer.
type errorEnvelope struct {
	Errors json.RawMessage `json:"errors"`
}

// wireErrorDetail is one entry of an errors array.
type wireErrorDetail struct {
	Code    flexInt `json:"code"`
	Message string  `json:"message"`
}

// parseErrorBody extracts the error details of a non-2xx answer. It is
// lenient: a non-JSON body (an HTML page from a proxy) simply yields none.
func parseErrorBody(unmarshal func([]byte, any) error, body []byte) []ErrorDetail {
	var env errorEnvelope
	if unmarshal(body, &env) != nil {
		return nil
	}
	return parseErrorDetails(unmarshal, env.Errors)
}

// maxErrorDetails bounds what is kept of an upstream errors array.
const maxErrorDetails = 20

// parseErrorDetails decodes each entry on its own, so one odd entry does not
// lose the others.
func parseErrorDetails(unmarshal func([]byte, any) error, raw json.RawMessage) []ErrorDetail {
	var items []json.RawMessage
	if unmarshal(raw, &items) != nil {
		return nil
	}
	var out []ErrorDetail
	for _, it := range items {
		var d wireErrorDetail
		if unmarshal(it, &d) != nil {
			continue
		}
		out = append(out, ErrorDetail{Code: int(d.Code), Message: d.Message})
		if len(out) == maxErrorDetails {
			break
		}
	}
	return out
}
