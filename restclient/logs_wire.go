package restclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// listLogsOut is List Gateway Logs' answer: the whole body is decoded in
// one pass into listEnvelope[[]wireLog], then checked.
type listLogsOut struct{ page LogPage }

func (o *listLogsOut) decodeBody(d decoder, body []byte) error {
	var env listEnvelope[[]wireLog]
	// The wire logs live only until they are converted below, so their
	// array is reused from page to page (13 KB a page, sized for a full
	// one: growing a slice of these large elements by doubling cost a
	// tenth of the decoding).
	scratch := wireLogArrays.Get().(*[]wireLog)
	defer putWireLogs(scratch, &env.Result)
	env.Result = (*scratch)[:0]
	if err := decodeEnvelope(d, body, &env); err != nil {
		return err
	}
	// The spec marks result_info required: without it paging cannot work.
	if env.ResultInfo == nil {
		return malformed("missing result_info", nil)
	}
	info, err := env.ResultInfo.toResultInfo()
	if err != nil {
		return err
	}
	// A null or absent result counts as empty (a habit of some Cloudflare
	// endpoints); Logs is never nil.
	logs := make([]Log, len(env.Result))
	for i := range env.Result {
		if logs[i], err = env.Result[i].toLog(d); err != nil {
			return malformed(fmt.Sprintf("result[%d]", i), err)
		}
	}
	o.page = LogPage{Logs: logs, Info: info}
	return nil
}

var wireLogArrays = sync.Pool{New: func() any { s := make([]wireLog, 0, MaxPerPage); return &s }}

// putWireLogs gives back the array used (the decoder may have grown it):
// zeroed, as the decoder writes into the elements it finds there instead
// of zeroing them first, and so that the pool holds no strings of a page.
func putWireLogs(scratch *[]wireLog, used *[]wireLog) {
	s := *used
	if cap(s) == 0 { // a null result: the array was not written
		s = *scratch
	}
	if cap(s) > 4*MaxPerPage {
		return // an answer far over a page: left to the collector
	}
	clear(s[:cap(s)])
	*scratch = s[:0]
	wireLogArrays.Put(scratch)
}

// wireLog is a log as sent. Members whose wire form is their Go form decode
// straight into the embedded Log; the fields below shadow the members that
// need a rule of their own (the shallower field wins, as in encoding/json).
// Integers are flexInt because JSON has only one number type and upstreams
// sometimes send 12.0 for 12.
type wireLog struct {
	Log
	CreatedAt  string          `json:"created_at"`
	Duration   flexInt         `json:"duration"`
	TokensIn   *flexInt        `json:"tokens_in"`
	TokensOut  *flexInt        `json:"tokens_out"`
	StatusCode *flexInt        `json:"status_code"`
	Step       *flexInt        `json:"step"`
	Metadata   json.RawMessage `json:"metadata"`
}

// toLog checks what a log cannot do without: an id (callers key on it) and a
// valid created_at (ordering and cursors). Other missing required fields
// decode to zero values rather than failing a whole page.
func (w *wireLog) toLog(d decoder) (Log, error) {
	if w.ID == "" {
		return Log{}, fmt.Errorf("missing id")
	}
	if w.CreatedAt == "" {
		return Log{}, fmt.Errorf("missing created_at")
	}
	t, err := parseCreatedAt(w.CreatedAt)
	if err != nil {
		return Log{}, err
	}
	meta, err := decodeMetadata(d, w.Metadata)
	if err != nil {
		return Log{}, err
	}
	l := w.Log
	l.CreatedAt, l.Duration, l.Metadata = t, int(w.Duration), meta
	l.TokensIn, l.TokensOut = (*int)(w.TokensIn), (*int)(w.TokensOut)
	l.StatusCode, l.Step = (*int)(w.StatusCode), (*int)(w.Step)
	return l, nil
}

// parseCreatedAt is the one rule for a log's created_at: RFC 3339,
// normalised to UTC, and a real instant.
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

// decodeMetadata keeps a log's metadata as text. The spec says it is a string
// holding JSON; should the upstream ever send the object itself, its compact
// JSON text is kept instead of failing the page.
func decodeMetadata(d decoder, raw json.RawMessage) (*string, error) {
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, nil
	case raw[0] == '"':
		var s string
		if err := d.unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return &s, nil
	case raw[0] == '{' || raw[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		s := buf.String()
		return &s, nil
	}
	return nil, fmt.Errorf("metadata: want a string or an object, got %.32s", raw)
}

// wireResultInfo is result_info as sent; the min/max figures decode straight
// into the embedded ResultInfo.
type wireResultInfo struct {
	ResultInfo
	Count      flexInt `json:"count"`
	Page       flexInt `json:"page"`
	PerPage    flexInt `json:"per_page"`
	TotalCount flexInt `json:"total_count"`
}

// toResultInfo requires non-negative counts.
func (w *wireResultInfo) toResultInfo() (ResultInfo, error) {
	if w.Count < 0 || w.Page < 0 || w.PerPage < 0 || w.TotalCount < 0 {
		return ResultInfo{}, malformed("result_info has a negative count", nil)
	}
	info := w.ResultInfo
	info.Count, info.Page, info.PerPage, info.TotalCount = int(w.Count), int(w.Page), int(w.PerPage), int(w.TotalCount)
	return info, nil
}
