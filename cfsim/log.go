package cfsim

import (
	"encoding/json"
	"time"
)

// timeLayout is how Cloudflare prints created_at: RFC 3339, always three
// fractional digits, UTC ("2026-11-26T10:00:00.123Z"). time.Time's own
// MarshalJSON would print nanoseconds and drop trailing zeros, which is not
// what the upstream sends, so Log marshals created_at itself.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Log is one AI Gateway log. Its JSON form (MarshalJSON) is exactly an item
// of the List Gateway Logs answer. The fields tagged `json:"-"` are not list
// fields: they exist so that the filter keys which have no list column
// (feedback, event_id, authentication, wholesale, compatibilityMode,
// dlp_action, user_agent) have something to test, and so that the detail
// answer (GET …/logs/{id}) has its extra fields, and the bodies endpoints
// their bodies.
type Log struct {
	ID                  string    `json:"id"`
	CreatedAt           time.Time `json:"created_at"`
	Provider            string    `json:"provider"`
	Model               string    `json:"model"`
	ModelType           *string   `json:"model_type,omitempty"`
	Path                string    `json:"path"`
	Duration            int       `json:"duration"`
	Success             bool      `json:"success"`
	Cached              bool      `json:"cached"`
	StatusCode          *int      `json:"status_code,omitempty"`
	Step                *int      `json:"step,omitempty"`
	TokensIn            *int      `json:"tokens_in"`
	TokensOut           *int      `json:"tokens_out"`
	Cost                *float64  `json:"cost,omitempty"`
	CustomCost          *bool     `json:"custom_cost,omitempty"`
	Metadata            *string   `json:"metadata,omitempty"`
	RequestType         *string   `json:"request_type,omitempty"`
	RequestContentType  *string   `json:"request_content_type,omitempty"`
	ResponseContentType *string   `json:"response_content_type,omitempty"`

	// Filterable, but not list fields.
	// Feedback is -1..1 (generated logs have -1, 0 or 1; PATCH may set any
	// number of the range); nil when nobody rated the log.
	Feedback          *float64 `json:"-"`
	EventID           string   `json:"-"` // shared by the steps of one fallback chain
	Authentication    bool     `json:"-"`
	Wholesale         bool     `json:"-"`
	CompatibilityMode bool     `json:"-"`
	DLPAction         string   `json:"-"` // NONE, FLAG or BLOCK
	UserAgent         string   `json:"-"`
	// Score is 0..100, set only by PATCH …/logs/{id}; no answer carries it.
	Score *float64 `json:"-"`

	// Detail-only fields (GET …/logs/{id}).
	RequestHead          string `json:"-"`
	ResponseHead         string `json:"-"` // served as null while the log is fresh, see detail.go
	RequestHeadComplete  bool   `json:"-"`
	ResponseHeadComplete bool   `json:"-"`
	RequestSize          int    `json:"-"`
	ResponseSize         int    `json:"-"`

	// The stored bodies (GET …/logs/{id}/request and …/response), as text.
	// RequestHead / ResponseHead are their first bytes, RequestSize /
	// ResponseSize their lengths. The request body is always a JSON object;
	// the response body is not JSON when it was streamed (text/event-stream).
	RequestBody  string `json:"-"`
	ResponseBody string `json:"-"`
}

// logWire is Log's list representation with created_at pre-formatted.
type logWire struct {
	ID                  string   `json:"id"`
	CreatedAt           string   `json:"created_at"`
	Provider            string   `json:"provider"`
	Model               string   `json:"model"`
	ModelType           *string  `json:"model_type,omitempty"`
	Path                string   `json:"path"`
	Duration            int      `json:"duration"`
	Success             bool     `json:"success"`
	Cached              bool     `json:"cached"`
	StatusCode          *int     `json:"status_code,omitempty"`
	Step                *int     `json:"step,omitempty"`
	TokensIn            *int     `json:"tokens_in"`
	TokensOut           *int     `json:"tokens_out"`
	Cost                *float64 `json:"cost,omitempty"`
	CustomCost          *bool    `json:"custom_cost,omitempty"`
	Metadata            *string  `json:"metadata,omitempty"`
	RequestType         *string  `json:"request_type,omitempty"`
	RequestContentType  *string  `json:"request_content_type,omitempty"`
	ResponseContentType *string  `json:"response_content_type,omitempty"`
}

func (l Log) wire() logWire {
	return logWire{
		ID: l.ID, CreatedAt: formatTime(l.CreatedAt), Provider: l.Provider, Model: l.Model,
		ModelType: l.ModelType, Path: l.Path, Duration: l.Duration, Success: l.Success,
		Cached: l.Cached, StatusCode: l.StatusCode, Step: l.Step, TokensIn: l.TokensIn,
		TokensOut: l.TokensOut, Cost: l.Cost, CustomCost: l.CustomCost, Metadata: l.Metadata,
		RequestType: l.RequestType, RequestContentType: l.RequestContentType,
		ResponseContentType: l.ResponseContentType,
	}
}

// MarshalJSON emits the list item exactly as the upstream does.
func (l Log) MarshalJSON() ([]byte, error) { return json.Marshal(l.wire()) }

// formatTime prints t the way the upstream prints created_at.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// TotalTokens is tokens_in + tokens_out, the figure behind the `tokens`
// filter key and min/max_total_tokens. A single nil side counts as 0; nil
// when both are nil (the provider reported no usage at all).
func (l *Log) TotalTokens() *int {
	if l.TokensIn == nil && l.TokensOut == nil {
		return nil
	}
	t := 0
	if l.TokensIn != nil {
		t += *l.TokensIn
	}
	if l.TokensOut != nil {
		t += *l.TokensOut
	}
	return &t
}

// clone deep-copies l so callers of Logs/Append cannot reach the server's
// pointers (a test that mutates *TokensIn must not corrupt the data set).
func (l Log) clone() Log {
	c := l
	c.ModelType = clonePtr(l.ModelType)
	c.StatusCode = clonePtr(l.StatusCode)
	c.Step = clonePtr(l.Step)
	c.TokensIn = clonePtr(l.TokensIn)
	c.TokensOut = clonePtr(l.TokensOut)
	c.Cost = clonePtr(l.Cost)
	c.CustomCost = clonePtr(l.CustomCost)
	c.Metadata = clonePtr(l.Metadata)
	c.RequestType = clonePtr(l.RequestType)
	c.RequestContentType = clonePtr(l.RequestContentType)
	c.ResponseContentType = clonePtr(l.ResponseContentType)
	c.Feedback = clonePtr(l.Feedback)
	c.Score = clonePtr(l.Score)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func ptr[T any](v T) *T { return &v }
