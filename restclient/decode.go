package restclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// envelope is Cloudflare's answer wrapper. result and result_info stay raw so
// that each endpoint decodes its own shape.
type envelope struct {
	Success    *bool           `json:"success"`
	Errors     json.RawMessage `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo json.RawMessage `json:"result_info"`
}

// envelopeDecoder is implemented by outputs that need more of the envelope
// than `result` (e.g. result_info). Other outputs get `result` unmarshalled.
type envelopeDecoder interface {
	decodeEnvelope(env *envelope) error
}

// rawDecoder is implemented by outputs that take the 2xx body as it came,
// envelope or not (the log bodies endpoints).
type rawDecoder interface {
	decodeRaw(body []byte) error
}

// parseSuccess checks a 2xx body: a JSON object with success:true. scrub
// cleans upstream messages before they go into an error.
func parseSuccess(body []byte, scrub func(string) string) (*envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, malformed("body is not a JSON envelope", err)
	}
	if env.Success == nil {
		return nil, malformed("envelope has no success field", nil)
	}
	if !*env.Success {
		var msgs []string
		for _, d := range parseErrorDetails(env.Errors) {
			msgs = append(msgs, scrub(d.Message))
		}
		return nil, malformed(fmt.Sprintf("2xx answer with success:false (%s)", strings.Join(msgs, "; ")), nil)
	}
	return &env, nil
}

// decodeInto hands the envelope to out, or unmarshals `result` into it.
func decodeInto(env *envelope, out any) error {
	if d, ok := out.(envelopeDecoder); ok {
		return d.decodeEnvelope(env)
	}
	if len(env.Result) == 0 {
		return malformed("envelope has no result", nil)
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return malformed("result has the wrong shape", err)
	}
	return nil
}

// parseErrorBody extracts the error details of a non-2xx answer. It is
// lenient: a non-JSON body (an HTML page from a proxy) simply yields none.
func parseErrorBody(body []byte) []ErrorDetail {
	var env struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	return parseErrorDetails(env.Errors)
}

// maxErrorDetails bounds what is kept of an upstream errors array.
const maxErrorDetails = 20

// parseErrorDetails decodes each entry on its own, so one odd entry does not
// lose the others.
func parseErrorDetails(raw json.RawMessage) []ErrorDetail {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []ErrorDetail
	for _, it := range items {
		var d struct {
			Code    flexInt `json:"code"`
			Message string  `json:"message"`
		}
		if json.Unmarshal(it, &d) != nil {
			continue
		}
		out = append(out, ErrorDetail{Code: int(d.Code), Message: d.Message})
		if len(out) == maxErrorDetails {
			break
		}
	}
	return out
}

// decodeListLogs decodes a complete List Gateway Logs 2xx body, as ListLogs
// does.
func decodeListLogs(body []byte) (*LogPage, error) {
	out := listLogsOut{scrub: keepMessage}
	if err := out.decodeRaw(body); err != nil {
		return nil, err
	}
	return &out.page, nil
}

// decodeListLogsGeneral is the general path alone (for tests that compare
// the two).
func decodeListLogsGeneral(body []byte) (*LogPage, error) {
	env, err := parseSuccess(body, keepMessage)
	if err != nil {
		return nil, err
	}
	var out listLogsOut
	if err := out.decodeEnvelope(env); err != nil {
		return nil, err
	}
	return &out.page, nil
}

func keepMessage(s string) string { return s }

// listLogsOut takes the 2xx body itself (rawDecoder) so that a well-formed
// page is decoded in one pass (decodeListLogsFast). Whatever that pass
// declines goes the general way, envelope first, which gives the same page
// or the precise error; scrub cleans upstream messages for the latter.
type listLogsOut struct {
	page  LogPage
	scrub func(string) string
}

func (o *listLogsOut) decodeRaw(body []byte) error {
	if page, ok := decodeListLogsFast(body); ok {
		o.page = page
		return nil
	}
	scrub := o.scrub
	if scrub == nil {
		scrub = keepMessage
	}
	env, err := parseSuccess(body, scrub)
	if err != nil {
		return err
	}
	return o.decodeEnvelope(env)
}

func (o *listLogsOut) decodeEnvelope(env *envelope) error {
	logs, err := decodeLogs(env.Result)
	if err != nil {
		return err
	}
	info, err := decodeResultInfo(env.ResultInfo)
	if err != nil {
		return err
	}
	o.page = LogPage{Logs: logs, Info: info}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// decodeLogs accepts an array of logs; null counts as empty (a habit of some
// Cloudflare endpoints). The result is never nil.
func decodeLogs(raw json.RawMessage) ([]Log, error) {
	logs := []Log{}
	if isNull(raw) {
		return logs, nil
	}
	var wire []wireLog
	if err := json.Unmarshal(raw, &wire); err != nil {
		return nil, malformed("result is not an array of logs", err)
	}
	for i := range wire {
		l, err := wire[i].toLog()
		if err != nil {
			return nil, malformed(fmt.Sprintf("result[%d]", i), err)
		}
		logs = append(logs, l)
	}
	return logs, nil
}

// wireLog is a log as sent. Integer fields use flexInt because JSON has only
// one number type and upstreams sometimes send 12.0 for 12.
type wireLog struct {
	ID                  *string       `json:"id"`
	CreatedAt           *string       `json:"created_at"`
	Provider            string        `json:"provider"`
	Model               string        `json:"model"`
	Path                string        `json:"path"`
	Duration            flexInt       `json:"duration"`
	Success             bool          `json:"success"`
	Cached              bool          `json:"cached"`
	TokensIn            *flexInt      `json:"tokens_in"`
	TokensOut           *flexInt      `json:"tokens_out"`
	Cost                *float64      `json:"cost"`
	CustomCost          *bool         `json:"custom_cost"`
	Metadata            metadataField `json:"metadata"`
	ModelType           *string       `json:"model_type"`
	RequestType         *string       `json:"request_type"`
	RequestContentType  *string       `json:"request_content_type"`
	ResponseContentType *string       `json:"response_content_type"`
	StatusCode          *flexInt      `json:"status_code"`
	Step                *flexInt      `json:"step"`
}

// toLog checks what a log cannot do without: an id (callers key on it) and a
// valid created_at (ordering and cursors). Other missing required fields
// decode to zero values rather than failing a whole page.
func (w *wireLog) toLog() (Log, error) {
	if w.ID == nil || *w.ID == "" {
		return Log{}, fmt.Errorf("missing id")
	}
	if w.CreatedAt == nil {
		return Log{}, fmt.Errorf("missing created_at")
	}
	t, err := parseCreatedAt(*w.CreatedAt)
	if err != nil {
		return Log{}, err
	}
	return Log{
		ID:                  *w.ID,
		CreatedAt:           t,
		Provider:            w.Provider,
		Model:               w.Model,
		Path:                w.Path,
		Duration:            int(w.Duration),
		Success:             w.Success,
		Cached:              w.Cached,
		TokensIn:            w.TokensIn.ptr(),
		TokensOut:           w.TokensOut.ptr(),
		Cost:                w.Cost,
		CustomCost:          w.CustomCost,
		Metadata:            w.Metadata.v,
		ModelType:           w.ModelType,
		RequestType:         w.RequestType,
		RequestContentType:  w.RequestContentType,
		ResponseContentType: w.ResponseContentType,
		StatusCode:          w.StatusCode.ptr(),
		Step:                w.Step.ptr(),
	}, nil
}

// parseCreatedAt is the one rule for a log's created_at (both decoders use
// it): RFC 3339, normalised to UTC, and a real instant.
func parseCreatedAt(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("created_at: %w", err)
	}
	t = t.UTC()
	// The zero instant is what an upstream serialises for "unset".
	if y := t.Year(); t.IsZero() || y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("created_at is zero or out of range")
	}
	return t, nil
}

type wireResultInfo struct {
	Count          flexInt  `json:"count"`
	Page           flexInt  `json:"page"`
	PerPage        flexInt  `json:"per_page"`
	TotalCount     flexInt  `json:"total_count"`
	MinCost        *float64 `json:"min_cost"`
	MaxCost        *float64 `json:"max_cost"`
	MinDuration    *float64 `json:"min_duration"`
	MaxDuration    *float64 `json:"max_duration"`
	MinTokensIn    *float64 `json:"min_tokens_in"`
	MaxTokensIn    *float64 `json:"max_tokens_in"`
	MinTokensOut   *float64 `json:"min_tokens_out"`
	MaxTokensOut   *float64 `json:"max_tokens_out"`
	MinTotalTokens *float64 `json:"min_total_tokens"`
	MaxTotalTokens *float64 `json:"max_total_tokens"`
}

// decodeResultInfo requires the block (the spec marks it required: without
// it paging cannot work) and non-negative counts.
func decodeResultInfo(raw json.RawMessage) (ResultInfo, error) {
	if isNull(raw) {
		return ResultInfo{}, malformed("missing result_info", nil)
	}
	var w wireResultInfo
	if err := json.Unmarshal(raw, &w); err != nil {
		return ResultInfo{}, malformed("result_info has the wrong shape", err)
	}
	if w.Count < 0 || w.Page < 0 || w.PerPage < 0 || w.TotalCount < 0 {
		return ResultInfo{}, malformed("result_info has a negative count", nil)
	}
	return ResultInfo{
		Count: int(w.Count), Page: int(w.Page), PerPage: int(w.PerPage), TotalCount: int(w.TotalCount),
		MinCost: w.MinCost, MaxCost: w.MaxCost,
		MinDuration: w.MinDuration, MaxDuration: w.MaxDuration,
		MinTokensIn: w.MinTokensIn, MaxTokensIn: w.MaxTokensIn,
		MinTokensOut: w.MinTokensOut, MaxTokensOut: w.MaxTokensOut,
		MinTotalTokens: w.MinTotalTokens, MaxTotalTokens: w.MaxTotalTokens,
	}, nil
}

// flexInt decodes a JSON number holding an integer, written either as an
// integer (50) or as an integral float (50.0, 5e1). Fractions, overflow and
// non-numbers are errors; null leaves the zero value.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	v, ok := flexIntValue(s)
	if !ok {
		return fmt.Errorf("want an integer, got %.32s", s)
	}
	*n = flexInt(v)
	return nil
}

// flexIntValue is flexInt's rule for a number's text (both decoders use it).
func flexIntValue(s string) (int, bool) {
	if i, err := strconv.ParseInt(s, 10, strconv.IntSize); err == nil {
		return int(i), true
	}
	if !isJSONNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	limit := math.Ldexp(1, strconv.IntSize-1)
	if err != nil || f != math.Trunc(f) || f < -limit || f >= limit {
		return 0, false
	}
	return int(f), true
}

func (n *flexInt) ptr() *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// metadataField keeps the upstream's metadata as text. The spec says it is a
// string holding JSON; should the upstream ever send the object itself, its
// compact JSON text is kept instead of failing the page.
type metadataField struct{ v *string }

func (m *metadataField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		m.v = nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		m.v = &s
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		s := buf.String()
		m.v = &s
	default:
		return fmt.Errorf("metadata: want a string or an object, got %.32s", b)
	}
	return nil
}
