package cfsim

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Paging limits of List Gateways (the spec: per_page 1–100, default 20).
const (
	defaultGatewaysPerPage = 20
	maxGatewaysPerPage     = 100
)

// GatewayConfig is one gateway's configuration, as GET …/gateways/{id}
// serves it (MarshalJSON is exactly that result). Pointers are the members
// the upstream sends as null; DLP is omitted and Guardrails is null when
// nil. It is generated from Options.Seed and the gateway's name only.
type GatewayConfig struct {
	ID                      string
	CreatedAt, ModifiedAt   time.Time // in the past, created before the oldest log
	CacheTTL                *int      // seconds
	CacheInvalidateOnUpdate bool
	CollectLogs             bool
	RateLimitingInterval    *int    // seconds; nil (with Limit and Technique) when off
	RateLimitingLimit       *int    // requests per interval
	RateLimitingTechnique   *string // fixed | sliding
	Authentication          bool
	IsDefault               bool // the first gateway of Options.Gateways only
	Logpush                 bool
	LogClassification       bool
	ZDR                     bool
	LogManagement           *int            // 10000..10000000 logs kept; nil: no limit
	LogManagementStrategy   *string         // STOP_INSERTING | DELETE_OLDEST; nil with LogManagement
	DLP                     json.RawMessage // {enabled, action, profiles}; nil: absent
	Guardrails              json.RawMessage // {prompt, response}; nil: null

	RetryBackoff         *string // constant | linear | exponential; nil (with Delay and MaxAttempts) when off
	RetryDelay           *int    // milliseconds, 0..5000
	RetryMaxAttempts     *int    // 1..5
	SpendLimits          *SpendLimits
	WorkersAIBillingMode string // postpaid | unified
	Otel                 []OtelExporter
	LogpushPublicKey     *string
	StoreID              *string
	Stripe               *Stripe
}

type gatewayWire struct {
	ID                      string          `json:"id"`
	CreatedAt               string          `json:"created_at"`
	ModifiedAt              string          `json:"modified_at"`
	CacheTTL                *int            `json:"cache_ttl"`
	CacheInvalidateOnUpdate bool            `json:"cache_invalidate_on_update"`
	CollectLogs             bool            `json:"collect_logs"`
	RateLimitingInterval    *int            `json:"rate_limiting_interval"`
	RateLimitingLimit       *int            `json:"rate_limiting_limit"`
	RateLimitingTechnique   *string         `json:"rate_limiting_technique"`
	Authentication          bool            `json:"authentication"`
	IsDefault               bool            `json:"is_default"`
	Logpush                 bool            `json:"logpush"`
	LogClassification       bool            `json:"log_classification"`
	ZDR                     bool            `json:"zdr"`
	LogManagement           *int            `json:"log_management"`
	LogManagementStrategy   *string         `json:"log_management_strategy"`
	DLP                     json.RawMessage `json:"dlp,omitempty"`
	Guardrails              json.RawMessage `json:"guardrails"` // nil marshals as null
	RetryBackoff            *string         `json:"retry_backoff"`
	RetryDelay              *int            `json:"retry_delay"`
	RetryMaxAttempts        *int            `json:"retry_max_attempts"`
	SpendLimits             *SpendLimits    `json:"spend_limits"`
	WorkersAIBillingMode    string          `json:"workers_ai_billing_mode"`
	Otel                    []OtelExporter  `json:"otel"` // nil marshals as null
	LogpushPublicKey        *string         `json:"logpush_public_key"`
	StoreID                 *string         `json:"store_id"`
	Stripe                  *Stripe         `json:"stripe"`
}

// MarshalJSON emits the gateway as the upstream does, snake_case members
// and timestamps in created_at's format.
func (g GatewayConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(gatewayWire{
		ID: g.ID, CreatedAt: formatTime(g.CreatedAt), ModifiedAt: formatTime(g.ModifiedAt),
		CacheTTL: g.CacheTTL, CacheInvalidateOnUpdate: g.CacheInvalidateOnUpdate, CollectLogs: g.CollectLogs,
		RateLimitingInterval: g.RateLimitingInterval, RateLimitingLimit: g.RateLimitingLimit,
		RateLimitingTechnique: g.RateLimitingTechnique, Authentication: g.Authentication, IsDefault: g.IsDefault,
		Logpush: g.Logpush, LogClassification: g.LogClassification, ZDR: g.ZDR,
		LogManagement: g.LogManagement, LogManagementStrategy: g.LogManagementStrategy,
		DLP: g.DLP, Guardrails: g.Guardrails,
		RetryBackoff: g.RetryBackoff, RetryDelay: g.RetryDelay, RetryMaxAttempts: g.RetryMaxAttempts,
		SpendLimits: g.SpendLimits, WorkersAIBillingMode: g.WorkersAIBillingMode, Otel: g.Otel,
		LogpushPublicKey: g.LogpushPublicKey, StoreID: g.StoreID, Stripe: g.Stripe,
	})
}

func (g GatewayConfig) clone() GatewayConfig {
	c := g
	c.CacheTTL = clonePtr(g.CacheTTL)
	c.RateLimitingInterval = clonePtr(g.RateLimitingInterval)
	c.RateLimitingLimit = clonePtr(g.RateLimitingLimit)
	c.RateLimitingTechnique = clonePtr(g.RateLimitingTechnique)
	c.LogManagement = clonePtr(g.LogManagement)
	c.LogManagementStrategy = clonePtr(g.LogManagementStrategy)
	c.DLP = slices.Clone(g.DLP)
	c.Guardrails = slices.Clone(g.Guardrails)
	c.RetryBackoff = clonePtr(g.RetryBackoff)
	c.RetryDelay = clonePtr(g.RetryDelay)
	c.RetryMaxAttempts = clonePtr(g.RetryMaxAttempts)
	c.SpendLimits = g.SpendLimits.clone()
	c.Otel = cloneOtel(g.Otel)
	c.LogpushPublicKey = clonePtr(g.LogpushPublicKey)
	c.StoreID = clonePtr(g.StoreID)
	c.Stripe = g.Stripe.clone()
	return c
}

// gatewayConf is a configuration plus its pre-marshalled JSON; immutable.
type gatewayConf struct {
	cfg  GatewayConfig
	json []byte
}

// configRand seeds a gateway's configuration generator. It is separate from
// gatewayRand so that configurations do not shift the generated logs.
func configRand(seed int64, gatewayID string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(configSalt + gatewayID))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// configSalt separates configRand's stream from gatewayRand's. Its value
// was picked so that, with the default seed, the default gateways show each
// shape of configuration (DLP, guardrails, rate limiting on and off).
const configSalt = "config-18\x00"

// guardrailCategories are the spec's guardrails keys (Llama Guard's
// hazard categories).
var guardrailCategories = []string{"P1", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11", "S12", "S13"}

// newGatewayConfig makes a plausible configuration. end is the end of the
// log history; named gateways (which have logs) collect logs, and their
// authentication flag agrees with their logs (a gateway that requires
// authentication has only authenticated logs).
func newGatewayConfig(seed int64, id string, end time.Time, isDefault, named bool, prof profile) GatewayConfig {
	rng := configRand(seed, id)
	day := 24 * time.Hour
	created := end.Add(-historySpan - day*time.Duration(1+rng.IntN(700)) - time.Duration(rng.Int64N(int64(day))))
	created = created.Truncate(time.Millisecond)
	modified := created.Add(time.Duration(rng.Int64N(int64(end.Sub(created))))).Truncate(time.Millisecond)
	g := GatewayConfig{
		ID: id, CreatedAt: created, ModifiedAt: modified, IsDefault: isDefault,
		CacheInvalidateOnUpdate: rng.IntN(2) == 0,
		CollectLogs:             named || rng.Float64() < 0.8,
		Authentication:          prof.authRate == 1,
		Logpush:                 rng.Float64() < 0.25,
		LogClassification:       rng.Float64() < 0.3,
		ZDR:                     rng.Float64() < 0.15,
	}
	if !named {
		g.Authentication = rng.IntN(2) == 0
	}
	if ttl := []int{-1, 0, 60, 300, 3600, 86400}[rng.IntN(6)]; ttl >= 0 {
		g.CacheTTL = ptr(ttl)
	}
	if rng.Float64() < 0.5 {
		g.RateLimitingInterval = ptr([]int{10, 60, 300, 3600}[rng.IntN(4)])
		g.RateLimitingLimit = ptr([]int{50, 100, 500, 1000}[rng.IntN(4)])
		g.RateLimitingTechnique = ptr([]string{"fixed", "sliding"}[rng.IntN(2)])
	}
	if rng.Float64() < 0.6 {
		g.LogManagement = ptr([]int{10000, 100000, 1000000, 10000000}[rng.IntN(4)])
		g.LogManagementStrategy = ptr([]string{"STOP_INSERTING", "DELETE_OLDEST"}[rng.IntN(2)])
	}
	if rng.Float64() < 0.4 {
		profiles := []string{newUUID(rng)}
		if rng.IntN(2) == 0 {
			profiles = append(profiles, newUUID(rng))
		}
		g.DLP, _ = json.Marshal(struct {
			Enabled  bool     `json:"enabled"`
			Action   string   `json:"action"`
			Profiles []string `json:"profiles"`
		}{rng.Float64() < 0.8, []string{"FLAG", "BLOCK"}[rng.IntN(2)], profiles})
	}
	if rng.Float64() < 0.4 {
		pick := func() map[string]string {
			m := map[string]string{}
			for len(m) == 0 {
				for _, c := range guardrailCategories {
					if rng.Float64() < 0.25 {
						m[c] = []string{"FLAG", "BLOCK"}[rng.IntN(2)]
					}
				}
			}
			return m
		}
		prompt := pick()
		g.Guardrails, _ = json.Marshal(map[string]map[string]string{"prompt": prompt, "response": pick()})
	}
	addSettings(rng, &g)
	return g
}

func newGatewayConf(cfg GatewayConfig) *gatewayConf {
	b, _ := cfg.MarshalJSON() // cannot fail: plain fields and valid raw JSON
	return &gatewayConf{cfg: cfg, json: b}
}

// GatewayConfig returns a copy of a gateway's configuration; false for an
// unknown gateway.
func (s *Server) GatewayConfig(id string) (GatewayConfig, bool) {
	c, ok := s.gwConf[id]
	if !ok || s.gatewayGone(id) {
		return GatewayConfig{}, false
	}
	return c.cfg.clone(), true
}

// gatewayListParams is a validated List Gateways query.
type gatewayListParams struct {
	page, perPage int
	search        string
}

// parseGatewayListParams validates page (≥ 1), per_page (1–100) and takes
// search; other parameters are ignored.
func parseGatewayListParams(q url.Values) (gatewayListParams, []string) {
	p := gatewayListParams{page: 1, perPage: defaultGatewaysPerPage, search: q.Get("search")}
	var problems []string
	problems = intParam(q, "page", 1, int(^uint(0)>>1), &p.page, problems)
	problems = intParam(q, "per_page", 1, maxGatewaysPerPage, &p.perPage, problems)
	return p, problems
}

// listGateways answers List Gateways: the gateways in Options order (extra
// gateways last) whose id contains search, case-insensitively.
func (s *Server) listGateways(p gatewayListParams) answer {
	var set []*gatewayConf
	needle := strings.ToLower(p.search)
	for _, id := range s.gwOrder {
		if s.gatewayGone(id) {
			continue
		}
		if needle == "" || strings.Contains(strings.ToLower(id), needle) {
			set = append(set, s.gwConf[id])
		}
	}
	var page []*gatewayConf
	if pages := (len(set) + p.perPage - 1) / p.perPage; p.page <= pages { // a page past the end is empty
		start := (p.page - 1) * p.perPage
		page = set[start:min(start+p.perPage, len(set))]
	}
	var info *resultInfo
	if s.gatewaysWithInfo {
		info = &resultInfo{Count: len(page), Page: p.page, PerPage: p.perPage, TotalCount: len(set)}
	}
	return okList(page, func(g *gatewayConf) []byte { return g.json }, 400, info)
}

// getGateway answers Fetch Gateway.
func (s *Server) getGateway(id string) answer {
	g, ok := s.gwConf[id]
	if !ok || s.gatewayGone(id) {
		return errAnswer(http.StatusNotFound, codeNotFound, msgNotFound)
	}
	return okResult(g.json)
}

// okResult wraps a result in the success envelope.
func okResult(result []byte) answer {
	var b bytes.Buffer
	b.Grow(len(result) + 64)
	b.WriteString(`{"success":true,"errors":[],"messages":[],"result":`)
	b.Write(result)
	b.WriteByte('}')
	return answer{status: http.StatusOK, body: b.Bytes()}
}
