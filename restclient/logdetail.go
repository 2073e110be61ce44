package restclient

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"unicode/utf8"
)

// LogDetail is Get Gateway Log Detail's answer: the list fields plus the
// heads (the first bytes of the stored bodies) and the bodies' sizes. Each
// extra is nil when the upstream omitted it or sent null — response_head is
// reported to be null for a few seconds after the request.
type LogDetail struct {
	Log
	RequestHead          *string `json:"request_head,omitempty"`
	ResponseHead         *string `json:"response_head,omitempty"`
	RequestHeadComplete  *bool   `json:"request_head_complete,omitempty"`
	ResponseHeadComplete *bool   `json:"response_head_complete,omitempty"`
	RequestSize          *int    `json:"request_size,omitempty"`  // bytes
	ResponseSize         *int    `json:"response_size,omitempty"` // bytes
}

// logPath builds …/gateways/{g}/logs/{id}[/rest] from validated ids.
func logPath(accountID, gatewayID, logID string, rest ...string) (string, error) {
	p, err := gatewayPath(accountID, gatewayID, append([]string{"logs", logID}, rest...)...)
	if err != nil {
		return "", err
	}
	if err := ValidateLogID(logID); err != nil {
		return "", err
	}
	return p, nil
}

// GetLog calls GET …/gateways/{gatewayID}/logs/{logID}. An unknown gateway
// or log is an *Error for which IsNotFound holds.
func (c *Client) GetLog(ctx context.Context, creds Credentials, accountID, gatewayID, logID string) (*LogDetail, error) {
	path, err := logPath(accountID, gatewayID, logID)
	if err != nil {
		return nil, err
	}
	var out logDetailOut
	if err := c.do(ctx, creds, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out.d, nil
}

type logDetailOut struct{ d LogDetail }

func (o *logDetailOut) decodeBody(d decoder, body []byte) error {
	var env envelope[*wireLogDetail]
	if err := decodeEnvelope(d, body, &env); err != nil {
		return err
	}
	w := env.Result
	if w == nil {
		return malformed("envelope has no result", nil)
	}
	l, err := w.toLog(d)
	if err != nil {
		return malformed("result", err)
	}
	o.d = LogDetail{
		Log:                  l,
		RequestHead:          w.RequestHead,
		ResponseHead:         w.ResponseHead,
		RequestHeadComplete:  w.RequestHeadComplete,
		ResponseHeadComplete: w.ResponseHeadComplete,
		RequestSize:          (*int)(w.RequestSize),
		ResponseSize:         (*int)(w.ResponseSize),
	}
	return nil
}

// wireLogDetail is a log detail as sent: a log and the extras.
type wireLogDetail struct {
	wireLog
	RequestHead          *string  `json:"request_head"`
	ResponseHead         *string  `json:"response_head"`
	RequestHeadComplete  *bool    `json:"request_head_complete"`
	ResponseHeadComplete *bool    `json:"response_head_complete"`
	RequestSize          *flexInt `json:"request_size"`
	ResponseSize         *flexInt `json:"response_size"`
}

// GetLogRequestBody calls GET …/logs/{logID}/request: the request body the
// gateway stored, as JSON. See GetLogResponseBody for how the answer is read.
func (c *Client) GetLogRequestBody(ctx context.Context, creds Credentials, accountID, gatewayID, logID string) (json.RawMessage, error) {
	return c.getLogBody(ctx, creds, accountID, gatewayID, logID, "request")
}

// GetLogResponseBody calls GET …/logs/{logID}/response: the response body
// the gateway stored, as JSON, exactly as stored.
//
// The spec types the 200 answer as a bare `{type: object}`, unlike every
// other endpoint's envelope, so the answer is the body itself: an object,
// an array, a string holding a streamed body — and an object shaped like
// Cloudflare's envelope (Workers AI answers are) is returned whole, never
// unwrapped. An empty answer or JSON null (a log stored without its
// payload, cf-aig-collect-log-payload: false) is a nil body, not an error.
// A body that is not JSON is ErrMalformedResponse. Errors are as usual: an
// unknown gateway or log is an *Error for which IsNotFound holds (7002).
func (c *Client) GetLogResponseBody(ctx context.Context, creds Credentials, accountID, gatewayID, logID string) (json.RawMessage, error) {
	return c.getLogBody(ctx, creds, accountID, gatewayID, logID, "response")
}

func (c *Client) getLogBody(ctx context.Context, creds Credentials, accountID, gatewayID, logID, part string) (json.RawMessage, error) {
	path, err := logPath(accountID, gatewayID, logID, part)
	if err != nil {
		return nil, err
	}
	var out rawBodyOut
	if err := c.do(ctx, creds, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return out.v, nil
}

type rawBodyOut struct{ v json.RawMessage }

func (o *rawBodyOut) decodeBody(_ decoder, body []byte) error {
	v, err := storedBody(body)
	if err != nil {
		return err
	}
	o.v = v
	return nil
}

// storedBody implements GetLogResponseBody's rule. The result never
// aliases body.
func storedBody(body []byte) (json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || string(body) == "null" {
		return nil, nil
	}
	if !json.Valid(body) {
		return nil, malformed("body is not JSON", nil)
	}
	return bytes.Clone(body), nil
}

// LogUpdate is the body of Patch Gateway Log. Nil members are not sent (and
// so left unchanged upstream); at least one must be set. An empty non-nil
// Metadata is sent as {}.
type LogUpdate struct {
	Feedback *float64       // -1..1
	Score    *float64       // 0..100
	Metadata map[string]any // values: string, bool or a number (Go integer/float kinds, json.Number)
	// Clear lists members sent as null, which the upstream clears (the
	// spec makes each nullable): "feedback", "score", "metadata". A member
	// may not be both set and cleared.
	Clear []string
}

func (u LogUpdate) body() (map[string]any, error) {
	if u.Feedback == nil && u.Score == nil && u.Metadata == nil && len(u.Clear) == 0 {
		return nil, invalid("update", "sets nothing: give Feedback, Score, Metadata or Clear")
	}
	b := map[string]any{}
	for _, name := range u.Clear {
		set := map[string]bool{"feedback": u.Feedback != nil, "score": u.Score != nil, "metadata": u.Metadata != nil}
		isSet, known := set[name]
		switch {
		case !known:
			return nil, invalid("update", "cannot clear %q: only feedback, score and metadata", name)
		case isSet:
			return nil, invalid("update", "%s is both set and cleared", name)
		}
		b[name] = nil
	}
	if u.Feedback != nil {
		f := *u.Feedback
		if math.IsNaN(f) || f < -1 || f > 1 {
			return nil, invalid("feedback", "must be a number from -1 to 1, got %v", f)
		}
		b["feedback"] = f
	}
	if u.Score != nil {
		s := *u.Score
		if math.IsNaN(s) || s < 0 || s > 100 {
			return nil, invalid("score", "must be a number from 0 to 100, got %v", s)
		}
		b["score"] = s
	}
	if u.Metadata != nil {
		for k, v := range u.Metadata {
			if !utf8.ValidString(k) {
				return nil, invalid("metadata", "key %q is not valid UTF-8", k)
			}
			if err := checkMetadataValue(k, v); err != nil {
				return nil, err
			}
		}
		b["metadata"] = u.Metadata
	}
	return b, nil
}

// checkMetadataValue enforces the spec's string | number | boolean.
func checkMetadataValue(k string, v any) error {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return invalid("metadata", "value of %q is not valid UTF-8", k)
		}
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return invalid("metadata", "value of %q is not a finite number", k)
		}
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return invalid("metadata", "value of %q is not a finite number", k)
		}
	case json.Number:
		if _, err := x.Float64(); err != nil || !json.Valid([]byte(x)) {
			return invalid("metadata", "value of %q is not a valid number", k)
		}
	default:
		return invalid("metadata", "value of %q must be a string, number or boolean, got %T", k, v)
	}
	return nil
}

// UpdateLog calls PATCH …/gateways/{gatewayID}/logs/{logID} with the members
// of u that are set. It is never retried: a PATCH that failed in transit may
// have been applied. Ids and u are validated first; on failure no request
// is made.
func (c *Client) UpdateLog(ctx context.Context, creds Credentials, accountID, gatewayID, logID string, u LogUpdate) error {
	path, err := logPath(accountID, gatewayID, logID)
	if err != nil {
		return err
	}
	body, err := u.body()
	if err != nil {
		return err
	}
	return c.do(ctx, creds, http.MethodPatch, path, nil, body, nil)
}
