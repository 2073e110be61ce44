package cfsim

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
)

// SpendLimits is a gateway's spend_limits as the upstream sends it.
type SpendLimits struct {
	Enabled bool             `json:"enabled"`
	Rules   []SpendLimitRule `json:"rules"`
}

// SpendLimitRule is one rule of SpendLimits (the spec's member names).
type SpendLimitRule struct {
	ID        string                        `json:"id"`
	Enabled   bool                          `json:"enabled"`
	LimitType string                        `json:"limitType"`
	Limit     float64                       `json:"limit"`
	Window    int                           `json:"window"`
	Technique string                        `json:"technique"`
	Provider  *SpendLimitScope              `json:"provider,omitempty"`
	Model     *SpendLimitScope              `json:"model,omitempty"`
	Metadata  map[string]SpendLimitMetadata `json:"metadata,omitempty"`
}

// SpendLimitScope narrows a rule to some providers or models.
type SpendLimitScope struct {
	Mode   string   `json:"mode"`
	Values []string `json:"values"`
}

// SpendLimitMetadata narrows a rule by a metadata key: mode filter with
// values, or mode partition without.
type SpendLimitMetadata struct {
	Mode   string   `json:"mode"`
	Values []string `json:"values,omitempty"`
}

// OtelExporter is one otel[] item. Authorization and the header values are
// the gateway owner's credentials: the simulator makes up unique ones so
// that tests can check they never leave the service.
type OtelExporter struct {
	URL           string            `json:"url"`
	ContentType   string            `json:"content_type,omitempty"`
	Headers       map[string]string `json:"headers"`
	Authorization string            `json:"authorization,omitempty"`
}

// Stripe is a gateway's stripe settings; Authorization is a credential.
type Stripe struct {
	Authorization string             `json:"authorization"`
	UsageEvents   []StripeUsageEvent `json:"usage_events"`
}

// StripeUsageEvent is one usage event of Stripe.
type StripeUsageEvent struct {
	Payload string `json:"payload"`
}

// Secrets returns every credential in the configuration: the otel
// authorizations and header values and the stripe authorization.
func (g GatewayConfig) Secrets() []string {
	var out []string
	for _, e := range g.Otel {
		if e.Authorization != "" {
			out = append(out, e.Authorization)
		}
		for _, k := range slices.Sorted(maps.Keys(e.Headers)) {
			out = append(out, e.Headers[k])
		}
	}
	if g.Stripe != nil {
		out = append(out, g.Stripe.Authorization)
	}
	return out
}

// addSettings draws the settings the spec added after the first ones
// (retry_*, spend_limits, workers_ai_billing_mode, otel, logpush public
// key, store, stripe). It runs after every other draw of a configuration,
// so that those keep the values they had before these settings existed.
func addSettings(rng *rand.Rand, g *GatewayConfig) {
	if rng.Float64() < 0.5 {
		g.RetryBackoff = ptr([]string{"constant", "linear", "exponential"}[rng.IntN(3)])
		g.RetryDelay = ptr(rng.IntN(51) * 100)
		g.RetryMaxAttempts = ptr(1 + rng.IntN(5))
	}
	g.WorkersAIBillingMode = []string{"postpaid", "unified"}[min(rng.IntN(4), 1)] // mostly the default
	if rng.Float64() < 0.5 {
		g.SpendLimits = newSpendLimits(rng)
	}
	if rng.Float64() < 0.4 {
		for n := 1 + rng.IntN(3); len(g.Otel) < n; {
			g.Otel = append(g.Otel, newOtelExporter(rng, g.ID, len(g.Otel)))
		}
	}
	if g.Logpush || rng.Float64() < 0.1 {
		g.LogpushPublicKey = ptr("-----BEGIN PUBLIC KEY-----" + secretText(rng, 24) + "-----END PUBLIC KEY-----")
	}
	if rng.Float64() < 0.3 {
		g.StoreID = ptr(newUUID(rng))
	}
	if rng.Float64() < 0.3 {
		s := &Stripe{Authorization: "sk_test_" + secretText(rng, 24)}
		for n := rng.IntN(3); len(s.UsageEvents) < n; {
			s.UsageEvents = append(s.UsageEvents, StripeUsageEvent{Payload: fmt.Sprintf(`{"event_name":"ai_gateway_%d","value":"{{tokens}}"}`, len(s.UsageEvents))})
		}
		if s.UsageEvents == nil {
			s.UsageEvents = []StripeUsageEvent{}
		}
		g.Stripe = s
	}
}

func newSpendLimits(rng *rand.Rand) *SpendLimits {
	s := &SpendLimits{Enabled: rng.Float64() < 0.8, Rules: []SpendLimitRule{}}
	for n := rng.IntN(4); len(s.Rules) < n; {
		r := SpendLimitRule{
			ID: secretText(rng, 8), Enabled: rng.Float64() < 0.9, LimitType: "cost",
			Limit: float64(1+rng.IntN(500)) / 4, Window: []int{3600, 86400, 604800}[rng.IntN(3)],
			Technique: []string{"fixed", "sliding"}[rng.IntN(2)],
		}
		if rng.IntN(2) == 0 {
			r.Provider = &SpendLimitScope{Mode: "filter", Values: []string{"openai", "anthropic"}[:1+rng.IntN(2)]}
		}
		if rng.IntN(3) == 0 {
			r.Model = &SpendLimitScope{Mode: "filter", Values: []string{"gpt-4o-mini"}}
		}
		if rng.IntN(2) == 0 {
			r.Metadata = map[string]SpendLimitMetadata{"user": {Mode: "partition"}}
			if rng.IntN(2) == 0 {
				r.Metadata["team"] = SpendLimitMetadata{Mode: "filter", Values: []string{"ml", "web"}[:1+rng.IntN(2)]}
			}
		}
		s.Rules = append(s.Rules, r)
	}
	return s
}

// newOtelExporter makes an exporter whose credentials are unique to the
// gateway and exporter, and recognisable in a test's failure message.
func newOtelExporter(rng *rand.Rand, gatewayID string, i int) OtelExporter {
	e := OtelExporter{
		URL:     fmt.Sprintf("https://otel-%d.example.com/v1/traces", i),
		Headers: map[string]string{},
	}
	if rng.IntN(2) == 0 {
		e.ContentType = []string{"json", "protobuf"}[rng.IntN(2)]
	}
	for _, h := range []string{"x-api-key", "x-tenant", "dd-api-key"}[:rng.IntN(4)] {
		e.Headers[h] = fmt.Sprintf("secret-header-%s-%d-%s-%s", gatewayID, i, h, secretText(rng, 12))
	}
	if rng.IntN(3) > 0 {
		e.Authorization = fmt.Sprintf("Bearer secret-otel-%s-%d-%s", gatewayID, i, secretText(rng, 16))
	}
	return e
}

// secretText is n random letters and digits.
func secretText(rng *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func (s *SpendLimits) clone() *SpendLimits {
	if s == nil {
		return nil
	}
	c := &SpendLimits{Enabled: s.Enabled, Rules: slices.Clone(s.Rules)}
	for i, r := range c.Rules {
		c.Rules[i].Provider = r.Provider.clone()
		c.Rules[i].Model = r.Model.clone()
		c.Rules[i].Metadata = maps.Clone(r.Metadata)
		for k, m := range c.Rules[i].Metadata {
			m.Values = slices.Clone(m.Values)
			c.Rules[i].Metadata[k] = m
		}
	}
	return c
}

func (s *SpendLimitScope) clone() *SpendLimitScope {
	if s == nil {
		return nil
	}
	return &SpendLimitScope{Mode: s.Mode, Values: slices.Clone(s.Values)}
}

func cloneOtel(o []OtelExporter) []OtelExporter {
	c := slices.Clone(o)
	for i := range c {
		c[i].Headers = maps.Clone(c[i].Headers)
	}
	return c
}

func (s *Stripe) clone() *Stripe {
	if s == nil {
		return nil
	}
	return &Stripe{Authorization: s.Authorization, UsageEvents: slices.Clone(s.UsageEvents)}
}
