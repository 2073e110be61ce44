package restclient

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// MaxPerPage is the upstream's per_page maximum for List Gateway Logs.
const MaxPerPage = 50

// OrderBy is the field List Gateway Logs sorts on.
type OrderBy string

const (
	OrderByCreatedAt OrderBy = "created_at"
	OrderByProvider  OrderBy = "provider"
	OrderByModel     OrderBy = "model"
	OrderByModelType OrderBy = "model_type"
	OrderBySuccess   OrderBy = "success"
	OrderByCached    OrderBy = "cached"
)

// Valid reports whether o is one of the spec's order_by values.
func (o OrderBy) Valid() bool {
	switch o {
	case OrderByCreatedAt, OrderByProvider, OrderByModel, OrderByModelType, OrderBySuccess, OrderByCached:
		return true
	}
	return false
}

// Direction is the sort direction (sent as order_by_direction).
type Direction string

const (
	Asc  Direction = "asc"
	Desc Direction = "desc"
)

// Valid reports whether d is asc or desc.
func (d Direction) Valid() bool { return d == Asc || d == Desc }

// ListLogsParams are the query parameters of List Gateway Logs. Zero values
// are omitted so that the upstream's defaults apply. The deprecated scalar
// parameters (start_date, min_cost, provider, …) are deliberately absent.
type ListLogsParams struct {
	Page      int       // 0: omitted (upstream default 1); else ≥ 1
	PerPage   int       // 0: omitted (upstream default 20); else 1..MaxPerPage
	OrderBy   OrderBy   // "": omitted (upstream default created_at)
	Direction Direction // "": omitted (upstream default desc)
	Search    string    // "": omitted
	MetaInfo  bool      // true: meta_info=true (asks for the min/max figures)
	Filters   []Filter
}

// Encode returns the canonical query string: parameter names sorted, values
// escaped by url.Values.Encode. Equal params always give equal strings, so
// callers may use it as a de-duplication or cache key. Invalid params give an
// *InvalidInputError.
func (p ListLogsParams) Encode() (string, error) {
	v, err := p.values()
	if err != nil {
		return "", err
	}
	return v.Encode(), nil
}

func (p ListLogsParams) values() (url.Values, error) {
	v := url.Values{}
	if err := setPaging(v, p.Page, p.PerPage, MaxPerPage); err != nil {
		return nil, err
	}
	if p.OrderBy != "" {
		if !p.OrderBy.Valid() {
			return nil, invalid("order_by", "unknown value %q", string(p.OrderBy))
		}
		v.Set("order_by", string(p.OrderBy))
	}
	if p.Direction != "" {
		if !p.Direction.Valid() {
			return nil, invalid("order_by_direction", "must be asc or desc, got %q", string(p.Direction))
		}
		v.Set("order_by_direction", string(p.Direction))
	}
	if err := setSearch(v, p.Search); err != nil {
		return nil, err
	}
	if p.MetaInfo {
		v.Set("meta_info", "true")
	}
	fs, err := EncodeFilters(p.Filters)
	if err != nil {
		return nil, err
	}
	if fs != "" {
		v.Set("filters", fs)
	}
	return v, nil
}

// Log is one entry of List Gateway Logs. Pointers are the fields the upstream
// may send as null or omit; JSON tags mirror the upstream's names.
type Log struct {
	ID                  string    `json:"id"`
	CreatedAt           time.Time `json:"created_at"` // normalised to UTC
	Provider            string    `json:"provider"`
	Model               string    `json:"model"`
	Path                string    `json:"path"`
	Duration            int       `json:"duration"` // milliseconds
	Success             bool      `json:"success"`
	Cached              bool      `json:"cached"`
	TokensIn            *int      `json:"tokens_in"`
	TokensOut           *int      `json:"tokens_out"`
	Cost                *float64  `json:"cost,omitempty"`
	CustomCost          *bool     `json:"custom_cost,omitempty"`
	Metadata            *string   `json:"metadata,omitempty"` // the upstream's JSON text, unparsed
	ModelType           *string   `json:"model_type,omitempty"`
	RequestType         *string   `json:"request_type,omitempty"`
	RequestContentType  *string   `json:"request_content_type,omitempty"`
	ResponseContentType *string   `json:"response_content_type,omitempty"`
	StatusCode          *int      `json:"status_code,omitempty"`
	Step                *int      `json:"step,omitempty"`
}

// ResultInfo is the paging block of a list answer. The min/max figures are
// present only when asked for (MetaInfo) and the upstream has them.
type ResultInfo struct {
	Count          int      `json:"count"`
	Page           int      `json:"page"`
	PerPage        int      `json:"per_page"`
	TotalCount     int      `json:"total_count"`
	MinCost        *float64 `json:"min_cost,omitempty"`
	MaxCost        *float64 `json:"max_cost,omitempty"`
	MinDuration    *float64 `json:"min_duration,omitempty"`
	MaxDuration    *float64 `json:"max_duration,omitempty"`
	MinTokensIn    *float64 `json:"min_tokens_in,omitempty"`
	MaxTokensIn    *float64 `json:"max_tokens_in,omitempty"`
	MinTokensOut   *float64 `json:"min_tokens_out,omitempty"`
	MaxTokensOut   *float64 `json:"max_tokens_out,omitempty"`
	MinTotalTokens *float64 `json:"min_total_tokens,omitempty"`
	MaxTotalTokens *float64 `json:"max_total_tokens,omitempty"`
}

// LogPage is one page of logs. Logs is never nil.
type LogPage struct {
	Logs []Log
	Info ResultInfo
}

// ListLogs calls GET /accounts/{accountID}/ai-gateway/gateways/{gatewayID}/logs.
// Ids and params are validated first; on failure no request is made.
func (c *Client) ListLogs(ctx context.Context, creds Credentials, accountID, gatewayID string, p ListLogsParams) (*LogPage, error) {
	path, err := gatewayPath(accountID, gatewayID, "logs")
	if err != nil {
		return nil, err
	}
	q, err := p.values()
	if err != nil {
		return nil, err
	}
	var out listLogsOut
	if err := c.do(ctx, creds, http.MethodGet, path, q, nil, &out); err != nil {
		return nil, err
	}
	if bad := checkFiltersApplied(p.Filters, out.page.Logs); bad != nil {
		if c.onFilterNotApplied != nil {
			c.onFilterNotApplied(bad.Key)
		}
		return nil, bad
	}
	return &out.page, nil
}

// gatewayPath builds /accounts/{a}/ai-gateway/gateways/{g}[/rest…] from
// validated, escaped ids. rest segments are constants of this package or
// ids validated by the caller (ValidateLogID); each is escaped too.
func gatewayPath(accountID, gatewayID string, rest ...string) (string, error) {
	if err := ValidateAccountID(accountID); err != nil {
		return "", err
	}
	if err := ValidateGatewayID(gatewayID); err != nil {
		return "", err
	}
	p := "/accounts/" + url.PathEscape(accountID) + "/ai-gateway/gateways/" + url.PathEscape(gatewayID)
	for _, r := range rest {
		p += "/" + url.PathEscape(r)
	}
	return p, nil
}
