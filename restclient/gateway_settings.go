package restclient

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// SpendLimits is a gateway's spend_limits: rules that stop requests once
// what they cost over a window reaches a limit.
type SpendLimits struct {
	Enabled bool // the spec's default, false, when the upstream omits it
	Rules   []SpendLimitRule
}

// SpendLimitRule is one rule of SpendLimits. Pointers are the members the
// spec gives a default for and the upstream may omit.
type SpendLimitRule struct {
	ID        *string
	Enabled   *bool
	LimitType string  // the spec knows one: cost
	Limit     float64 // > 0, in LimitType's unit (US dollars for cost)
	Window    int     // > 0; the spec gives no unit
	Technique *string // fixed | sliding
	Provider  *SpendLimitScope
	Model     *SpendLimitScope
	Metadata  []SpendLimitMetadataScope // by key; empty when none
}

// SpendLimitScope narrows a rule to some providers or models.
type SpendLimitScope struct {
	Mode   string // the spec knows one: filter
	Values []string
}

// SpendLimitMetadataScope narrows a rule by one metadata key: to some of
// its values (mode filter) or to each value apart (mode partition, no
// values).
type SpendLimitMetadataScope struct {
	Key    string
	Mode   string
	Values []string
}

// OtelExporter is one OpenTelemetry exporter of a gateway (otel[]). The
// upstream also sends its authorization and the values of its headers:
// credentials of the gateway's owner, which are never kept — decoding
// notes only whether an authorization is set and which headers there are.
type OtelExporter struct {
	URL              string
	ContentType      *string  // json | protobuf; the spec's default is json
	HeaderNames      []string // sorted; the values are not kept
	HasAuthorization bool
}

// Stripe is a gateway's stripe settings: the usage events it reports. Its
// authorization is a credential of the gateway's owner and is never kept.
type Stripe struct {
	UsageEvents      []StripeUsageEvent
	HasAuthorization bool
}

// StripeUsageEvent is one usage event of Stripe.
type StripeUsageEvent struct {
	Payload string
}

// secretSet decodes a member holding a credential without keeping it: it
// records only whether a value other than null or "" was sent. Any JSON
// value is accepted, so a credential of an unexpected shape never fails
// the answer (nor lands in an error message).
type secretSet bool

func (s *secretSet) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = secretSet(len(b) > 0 && string(b) != "null" && string(b) != `""`)
	return nil
}

type wireSpendLimits struct {
	Enabled *bool                `json:"enabled"`
	Rules   []wireSpendLimitRule `json:"rules"`
}

type wireSpendLimitRule struct {
	ID        *string                         `json:"id"`
	Enabled   *bool                           `json:"enabled"`
	LimitType *string                         `json:"limitType"`
	Limit     *float64                        `json:"limit"`
	Window    *flexInt                        `json:"window"`
	Technique *string                         `json:"technique"`
	Provider  *wireSpendLimitScope            `json:"provider"`
	Model     *wireSpendLimitScope            `json:"model"`
	Metadata  map[string]*wireSpendLimitScope `json:"metadata"`
}

type wireSpendLimitScope struct {
	Mode   string   `json:"mode"`
	Values []string `json:"values"`
}

type wireOtelExporter struct {
	URL           string               `json:"url"`
	ContentType   *string              `json:"content_type"`
	Headers       map[string]secretSet `json:"headers"`
	Authorization secretSet            `json:"authorization"`
}

type wireStripe struct {
	UsageEvents   []StripeUsageEvent `json:"usage_events"`
	Authorization secretSet          `json:"authorization"`
}

// toSpendLimits: a rule without its required limitType, limit or window
// is not a rule the service can show truthfully, so it fails the answer.
func (w *wireSpendLimits) toSpendLimits() (*SpendLimits, error) {
	if w == nil {
		return nil, nil
	}
	out := &SpendLimits{Enabled: w.Enabled != nil && *w.Enabled, Rules: make([]SpendLimitRule, 0, len(w.Rules))}
	for i, r := range w.Rules {
		if r.LimitType == nil || r.Limit == nil || r.Window == nil {
			return nil, fmt.Errorf("spend_limits.rules[%d]: limitType, limit and window are required", i)
		}
		rule := SpendLimitRule{
			ID: r.ID, Enabled: r.Enabled, LimitType: *r.LimitType, Limit: *r.Limit, Window: int(*r.Window),
			Technique: r.Technique, Provider: r.Provider.toScope(), Model: r.Model.toScope(),
			Metadata: make([]SpendLimitMetadataScope, 0, len(r.Metadata)),
		}
		for k, m := range r.Metadata {
			if m == nil {
				continue
			}
			rule.Metadata = append(rule.Metadata, SpendLimitMetadataScope{Key: k, Mode: m.Mode, Values: nonNil(m.Values)})
		}
		slices.SortFunc(rule.Metadata, func(a, b SpendLimitMetadataScope) int { return strings.Compare(a.Key, b.Key) })
		out.Rules = append(out.Rules, rule)
	}
	return out, nil
}

func (w *wireSpendLimitScope) toScope() *SpendLimitScope {
	if w == nil {
		return nil
	}
	return &SpendLimitScope{Mode: w.Mode, Values: nonNil(w.Values)}
}

// toOtel keeps of each exporter what is not a credential. nil (absent or
// null) stays nil.
func toOtel(w []wireOtelExporter) []OtelExporter {
	if w == nil {
		return nil
	}
	out := make([]OtelExporter, len(w))
	for i, e := range w {
		names := make([]string, 0, len(e.Headers))
		for k := range e.Headers {
			names = append(names, k)
		}
		slices.Sort(names)
		out[i] = OtelExporter{URL: e.URL, ContentType: e.ContentType, HeaderNames: names, HasAuthorization: bool(e.Authorization)}
	}
	return out
}

func (w *wireStripe) toStripe() *Stripe {
	if w == nil {
		return nil
	}
	return &Stripe{UsageEvents: nonNil(w.UsageEvents), HasAuthorization: bool(w.Authorization)}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
