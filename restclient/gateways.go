package restclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// MaxGatewaysPerPage is the upstream's per_page maximum for List Gateways.
const MaxGatewaysPerPage = 100

// Gateway is one AI Gateway's configuration (List Gateways / Fetch
// Gateway). Pointers (and nil slices) are the members the upstream may
// send as null or omit; members the spec does not name are dropped. The
// credentials the upstream sends in otel and stripe are never kept (see
// OtelExporter).
type Gateway struct {
	ID                      string    `json:"id"`
	CreatedAt               time.Time `json:"created_at"`          // UTC; zero when the upstream sent none
	ModifiedAt              time.Time `json:"modified_at"`         // UTC; zero when the upstream sent none
	CacheTTL                *int      `json:"cache_ttl,omitempty"` // seconds
	CacheInvalidateOnUpdate bool      `json:"cache_invalidate_on_update"`
	CollectLogs             bool      `json:"collect_logs"`
	RateLimitingInterval    *int      `json:"rate_limiting_interval,omitempty"` // seconds
	RateLimitingLimit       *int      `json:"rate_limiting_limit,omitempty"`
	RateLimitingTechnique   *string   `json:"rate_limiting_technique,omitempty"` // fixed | sliding
	Authentication          *bool     `json:"authentication,omitempty"`
	IsDefault               *bool     `json:"is_default,omitempty"`
	Logpush                 *bool     `json:"logpush,omitempty"`
	LogClassification       *bool     `json:"log_classification,omitempty"`
	ZDR                     *bool     `json:"zdr,omitempty"`
	LogManagement           *int      `json:"log_management,omitempty"`          // logs kept
	LogManagementStrategy   *string   `json:"log_management_strategy,omitempty"` // STOP_INSERTING | DELETE_OLDEST
	// DLP and Guardrails are nil when the upstream omitted them or sent
	// null; otherwise the upstream's JSON as is (the spec gives DLP two
	// shapes, so it is not decoded here).
	DLP        json.RawMessage `json:"dlp,omitempty"`
	Guardrails json.RawMessage `json:"guardrails,omitempty"`

	RetryBackoff         *string        `json:"retry_backoff,omitempty"`      // constant | linear | exponential
	RetryDelay           *int           `json:"retry_delay,omitempty"`        // milliseconds, 0..5000
	RetryMaxAttempts     *int           `json:"retry_max_attempts,omitempty"` // 1..5
	SpendLimits          *SpendLimits   `json:"spend_limits,omitempty"`
	WorkersAIBillingMode *string        `json:"workers_ai_billing_mode,omitempty"` // postpaid | unified
	Otel                 []OtelExporter `json:"otel,omitempty"`                    // at most 5
	LogpushPublicKey     *string        `json:"logpush_public_key,omitempty"`
	StoreID              *string        `json:"store_id,omitempty"`
	Stripe               *Stripe        `json:"stripe,omitempty"`
}

// ListGatewaysParams are the query parameters of List Gateways. Zero values
// are omitted so that the upstream's defaults apply.
type ListGatewaysParams struct {
	Page    int    // 0: omitted (upstream default 1); else ≥ 1
	PerPage int    // 0: omitted (upstream default 20); else 1..MaxGatewaysPerPage
	Search  string // "": omitted; the upstream searches gateway ids
}

func (p ListGatewaysParams) values() (url.Values, error) {
	v := url.Values{}
	if err := setPaging(v, p.Page, p.PerPage, MaxGatewaysPerPage); err != nil {
		return nil, err
	}
	if err := setSearch(v, p.Search); err != nil {
		return nil, err
	}
	return v, nil
}

// GatewayPage is one page of List Gateways. Gateways is never nil. The spec
// documents no result_info for this endpoint: HasInfo reports whether the
// answer had one (Info is zero otherwise).
type GatewayPage struct {
	Gateways []Gateway
	Info     ResultInfo
	HasInfo  bool
}

// ListGateways calls GET /accounts/{accountID}/ai-gateway/gateways. The id
// and params are validated first; on failure no request is made.
func (c *Client) ListGateways(ctx context.Context, creds Credentials, accountID string, p ListGatewaysParams) (*GatewayPage, error) {
	if err := ValidateAccountID(accountID); err != nil {
		return nil, err
	}
	q, err := p.values()
	if err != nil {
		return nil, err
	}
	var out gatewayPageOut
	path := "/accounts/" + url.PathEscape(accountID) + "/ai-gateway/gateways"
	if err := c.do(ctx, creds, http.MethodGet, path, q, nil, &out); err != nil {
		return nil, err
	}
	return &out.page, nil
}

// GetGateway calls GET /accounts/{accountID}/ai-gateway/gateways/{gatewayID}.
// An unknown gateway is an *Error for which IsNotFound holds.
func (c *Client) GetGateway(ctx context.Context, creds Credentials, accountID, gatewayID string) (*Gateway, error) {
	path, err := gatewayPath(accountID, gatewayID)
	if err != nil {
		return nil, err
	}
	var out gatewayOut
	if err := c.do(ctx, creds, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out.g, nil
}

type gatewayPageOut struct{ page GatewayPage }

func (o *gatewayPageOut) decodeBody(d decoder, body []byte) error {
	var env listEnvelope[[]wireGateway]
	if err := decodeEnvelope(d, body, &env); err != nil {
		return err
	}
	gws := make([]Gateway, len(env.Result))
	for i := range env.Result {
		var err error
		if gws[i], err = env.Result[i].toGateway(); err != nil {
			return malformed(fmt.Sprintf("result[%d]", i), err)
		}
	}
	o.page = GatewayPage{Gateways: gws}
	if env.ResultInfo != nil {
		info, err := env.ResultInfo.toResultInfo()
		if err != nil {
			return err
		}
		o.page.Info, o.page.HasInfo = info, true
	}
	return nil
}

type gatewayOut struct{ g Gateway }

func (o *gatewayOut) decodeBody(d decoder, body []byte) error {
	var env envelope[*wireGateway]
	if err := decodeEnvelope(d, body, &env); err != nil {
		return err
	}
	if env.Result == nil {
		return malformed("envelope has no result", nil)
	}
	g, err := env.Result.toGateway()
	if err != nil {
		return malformed("result", err)
	}
	o.g = g
	return nil
}

// wireGateway is a gateway as sent: members whose wire form is their Go
// form decode straight into the embedded Gateway, the fields below shadow
// those that need a rule of their own (integers are flexInt, see wireLog).
type wireGateway struct {
	Gateway
	CreatedAt            *string  `json:"created_at"`
	ModifiedAt           *string  `json:"modified_at"`
	CacheTTL             *flexInt `json:"cache_ttl"`
	RateLimitingInterval *flexInt `json:"rate_limiting_interval"`
	RateLimitingLimit    *flexInt `json:"rate_limiting_limit"`
	LogManagement        *flexInt `json:"log_management"`
	RetryDelay           *flexInt `json:"retry_delay"`
	RetryMaxAttempts     *flexInt `json:"retry_max_attempts"`

	SpendLimits *wireSpendLimits   `json:"spend_limits"`
	Otel        []wireOtelExporter `json:"otel"`
	Stripe      *wireStripe        `json:"stripe"`
}

// toGateway requires an id (callers key on it). A missing or null
// timestamp decodes as the zero time; one that is present must parse.
func (w *wireGateway) toGateway() (Gateway, error) {
	if w.ID == "" {
		return Gateway{}, fmt.Errorf("missing id")
	}
	created, err := optTime("created_at", w.CreatedAt)
	if err != nil {
		return Gateway{}, err
	}
	modified, err := optTime("modified_at", w.ModifiedAt)
	if err != nil {
		return Gateway{}, err
	}
	g := w.Gateway
	g.CreatedAt, g.ModifiedAt = created, modified
	g.CacheTTL, g.LogManagement = (*int)(w.CacheTTL), (*int)(w.LogManagement)
	g.RateLimitingInterval, g.RateLimitingLimit = (*int)(w.RateLimitingInterval), (*int)(w.RateLimitingLimit)
	g.DLP, g.Guardrails = rawOrNil(g.DLP), rawOrNil(g.Guardrails)
	g.RetryDelay, g.RetryMaxAttempts = (*int)(w.RetryDelay), (*int)(w.RetryMaxAttempts)
	if g.SpendLimits, err = w.SpendLimits.toSpendLimits(); err != nil {
		return Gateway{}, err
	}
	g.Otel, g.Stripe = toOtel(w.Otel), w.Stripe.toStripe()
	return g, nil
}

func optTime(field string, s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t.UTC(), nil
}

// rawOrNil maps an absent or null member to nil.
func rawOrNil(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}
