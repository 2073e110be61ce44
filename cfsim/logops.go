package cfsim

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
)

// lookup finds a log's entry under the read lock; nil when the gateway or
// the log is unknown.
func (s *Server) lookup(gatewayID, logID string) *entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if g, ok := s.gateways[gatewayID]; ok {
		return g.byID[logID]
	}
	return nil
}

// logBody answers Get Gateway Log Request / Response with the stored body
// itself — no envelope: the spec's 200 schema is a bare object, unlike every
// other endpoint's. A body that is not JSON (a streamed response kept as
// text/event-stream) is served as a JSON string holding the text.
func (s *Server) logBody(rt route) answer {
	e := s.lookup(rt.gatewayID, rt.logID)
	if e == nil {
		return errAnswer(http.StatusNotFound, codeNotFound, msgNotFound)
	}
	text := e.log.RequestBody
	if rt.kind == routeLogResponse {
		text = e.log.ResponseBody
	}
	if text == "" {
		// Stored without its payload. What the live API answers then is
		// not documented; docs/upstream.md: assumed an empty 200.
		return answer{status: http.StatusOK}
	}
	body := []byte(text)
	if !json.Valid(body) {
		body = []byte(quote(text))
	}
	return answer{status: http.StatusOK, body: body}
}

// logPatch is a validated PATCH …/logs/{id} body. For each member: set
// false = absent (left unchanged); set with a nil value = null (cleared).
type logPatch struct {
	feedbackSet, scoreSet, metadataSet bool
	feedback, score                    *float64
	metadata                           *string // compact JSON object, keys sorted
}

// parseLogPatch validates a PATCH body the way the spec's schema does:
// a JSON object; feedback a number in −1..1 or null; score a number in
// 0..100 or null; metadata an object of strings, numbers and booleans, or
// null. Unknown members are ignored. Every problem is reported.
func parseLogPatch(body []byte) (logPatch, []string) {
	var p logPatch
	if len(body) > maxRequestBody {
		return p, []string{"body: larger than " + strconv.Itoa(maxRequestBody) + " bytes"}
	}
	var obj map[string]json.RawMessage
	if !isJSONKind(string(body), '{') || json.Unmarshal(body, &obj) != nil {
		return p, []string{"body: expected a JSON object"}
	}
	var problems []string
	number := func(name string, lo, hi float64, set *bool, dst **float64) {
		raw, ok := obj[name]
		if !ok {
			return
		}
		*set = true
		if string(raw) == "null" {
			return
		}
		var f float64
		if !isJSONNumber(raw) || json.Unmarshal(raw, &f) != nil || math.IsNaN(f) || f < lo || f > hi {
			problems = append(problems, name+": expected a number from "+strconv.FormatFloat(lo, 'g', -1, 64)+
				" to "+strconv.FormatFloat(hi, 'g', -1, 64)+" or null, got "+abbrev(raw))
			return
		}
		*dst = &f
	}
	number("feedback", -1, 1, &p.feedbackSet, &p.feedback)
	number("score", 0, 100, &p.scoreSet, &p.score)
	if raw, ok := obj["metadata"]; ok {
		p.metadataSet = true
		if string(raw) != "null" {
			md, errs := parsePatchMetadata(raw)
			problems = append(problems, errs...)
			p.metadata = md
		}
	}
	return p, problems
}

// parsePatchMetadata checks a metadata object and re-encodes it compactly
// with sorted keys (numbers keep their spelling), the form generated logs
// have.
func parsePatchMetadata(raw json.RawMessage) (*string, []string) {
	var m map[string]json.RawMessage
	if !isJSONKind(string(raw), '{') || json.Unmarshal(raw, &m) != nil {
		return nil, []string{"metadata: expected an object or null, got " + abbrev(raw)}
	}
	var problems []string
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := m[k]
		if !isJSONKind(string(v), '"') && !isJSONNumber(v) && string(v) != "true" && string(v) != "false" {
			problems = append(problems, "metadata."+k+": expected a string, number or boolean, got "+abbrev(v))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	// map[string]json.RawMessage marshals with sorted keys, values verbatim
	// (compacted).
	b, err := json.Marshal(m)
	if err != nil {
		return nil, []string{"metadata: " + err.Error()}
	}
	s := string(b)
	return &s, nil
}

// isJSONNumber reports whether raw (trimmed JSON text) is a number.
func isJSONNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// abbrev quotes at most 40 bytes of JSON text for an error message.
func abbrev(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// patchLog answers Patch Gateway Log: it validates the body (400), finds
// the log (404 code 7002), applies the patch and answers an empty result.
// Feedback and metadata become visible to the filters and to later
// answers; score is kept (Logs) but served nowhere, as upstream.
func (s *Server) patchLog(rt route, body []byte) answer {
	p, problems := parseLogPatch(body)
	if len(problems) > 0 {
		return badRequest(problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.gateways[rt.gatewayID]
	if !ok || g.byID[rt.logID] == nil {
		return errAnswer(http.StatusNotFound, codeNotFound, msgNotFound)
	}
	old := g.byID[rt.logID]
	l := old.log.clone()
	if p.feedbackSet {
		l.Feedback = p.feedback
	}
	if p.scoreSet {
		l.Score = p.score
	}
	if p.metadataSet {
		l.Metadata = p.metadata
	}
	g.replace(old, newEntry(l))
	return answer{status: http.StatusOK, body: []byte(`{"success":true,"errors":[],"messages":[],"result":{}}`)}
}
