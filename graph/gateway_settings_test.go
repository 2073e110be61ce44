package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

// settingsSelection selects every setting of a gateway, nested objects whole.
const settingsSelection = `gatewayId zdr logClassification retryBackoff retryDelay retryMaxAttempts workersAiBillingMode logpushPublicKey storeId
	spendLimits { enabled rules { id enabled limitType limit window technique provider { mode values } model { mode values } metadata { key mode values } } }
	otel { url contentType headerNames hasAuthorization }
	stripe { usageEvents { payload } hasAuthorization }`

// wantSettings is what the service should answer for a gateway's
// settings, written from the simulator's configuration: credentials
// reduced to whether they are set, header names and metadata keys sorted.
func wantSettings(c cfsim.GatewayConfig) map[string]any {
	str := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	num := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	scope := func(s *cfsim.SpendLimitScope) any {
		if s == nil {
			return nil
		}
		return map[string]any{"mode": s.Mode, "values": s.Values}
	}
	m := map[string]any{
		"gatewayId": c.ID, "zdr": c.ZDR, "logClassification": c.LogClassification,
		"retryBackoff": str(c.RetryBackoff), "retryDelay": num(c.RetryDelay), "retryMaxAttempts": num(c.RetryMaxAttempts),
		"workersAiBillingMode": c.WorkersAIBillingMode, "logpushPublicKey": str(c.LogpushPublicKey), "storeId": str(c.StoreID),
		"spendLimits": nil, "otel": nil, "stripe": nil,
	}
	if s := c.SpendLimits; s != nil {
		rules := []any{}
		for _, r := range s.Rules {
			md := []any{}
			for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
				md = append(md, map[string]any{"key": k, "mode": r.Metadata[k].Mode, "values": append([]string{}, r.Metadata[k].Values...)})
			}
			rules = append(rules, map[string]any{"id": r.ID, "enabled": r.Enabled, "limitType": r.LimitType, "limit": r.Limit,
				"window": r.Window, "technique": r.Technique, "provider": scope(r.Provider), "model": scope(r.Model), "metadata": md})
		}
		m["spendLimits"] = map[string]any{"enabled": s.Enabled, "rules": rules}
	}
	if c.Otel != nil {
		otel := []any{}
		for _, e := range c.Otel {
			var ct any
			if e.ContentType != "" {
				ct = e.ContentType
			}
			otel = append(otel, map[string]any{"url": e.URL, "contentType": ct,
				"headerNames": append([]string{}, slices.Sorted(maps.Keys(e.Headers))...), "hasAuthorization": e.Authorization != ""})
		}
		m["otel"] = otel
	}
	if s := c.Stripe; s != nil {
		events := []any{}
		for _, u := range s.UsageEvents {
			events = append(events, map[string]any{"payload": u.Payload})
		}
		m["stripe"] = map[string]any{"usageEvents": events, "hasAuthorization": s.Authorization != ""}
	}
	return normalise(m)
}

// normalise turns a value into what decoding its JSON gives.
func normalise(v any) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// TestGatewaySettingsRoundTrip: every setting the simulator generated comes
// back typed — through List Gateways (gateways) and through Get Gateway
// (gateway) — for gateways with each setting on and off. (Every setting of
// 43 gateways may hold more values than the default bound allows, spend
// limit rules counted at the spec's 20 each: the bound is raised here and
// tested in TestGatewaySettingsCountTowardTheAnswerSize.)
func TestGatewaySettingsRoundTrip(t *testing.T) {
	e := newEnv(t, func(c *graphConfig, o *cfsimOptions) { o.ExtraGateways, c.Limits.MaxValues = 40, 1e6 })
	var r struct {
		Gateways struct{ Nodes []map[string]any }
	}
	e.mustDo(`{ gateways(first: 100) { nodes { `+settingsSelection+` } } }`, nil, &r)
	if len(r.Gateways.Nodes) != len(e.sim.Gateways()) {
		t.Fatalf("%d gateways, want %d", len(r.Gateways.Nodes), len(e.sim.Gateways()))
	}
	on := map[string]int{}
	for _, got := range r.Gateways.Nodes {
		id := got["gatewayId"].(string)
		c, _ := e.sim.GatewayConfig(id)
		if want := wantSettings(c); !reflect.DeepEqual(normalise(got), want) {
			t.Fatalf("%s:\n got %v\nwant %v", id, normalise(got), want)
		}
		for k, v := range got {
			if v != nil && v != false {
				on[k]++
			}
		}
	}
	for _, k := range []string{"retryBackoff", "retryDelay", "retryMaxAttempts", "spendLimits", "otel", "logpushPublicKey", "storeId", "stripe", "zdr", "logClassification"} {
		if on[k] == 0 || on[k] == len(r.Gateways.Nodes) {
			t.Errorf("%s set on %d of %d gateways: a case goes untested", k, on[k], len(r.Gateways.Nodes))
		}
	}

	// One by one (Get Gateway), the gateways whose settings are fullest.
	for _, id := range e.sim.Gateways() {
		c, _ := e.sim.GatewayConfig(id)
		if c.SpendLimits == nil || len(c.SpendLimits.Rules) == 0 || c.Otel == nil || c.Stripe == nil {
			continue
		}
		var one struct{ Gateway map[string]any }
		e.sim.ResetRequests()
		e.mustDo(`query($g: ID!) { gateway(gatewayId: $g) { `+settingsSelection+` } }`, map[string]any{"g": id}, &one)
		e.expectCalls(id)
		if want := wantSettings(c); !reflect.DeepEqual(normalise(one.Gateway), want) {
			t.Fatalf("%s by id:\n got %v\nwant %v", id, normalise(one.Gateway), want)
		}
	}
}

// TestGatewaySecretsNeverLeave: no credential the simulator generated (otel
// authorizations and header values, stripe keys) appears in any answer,
// whatever is selected and however the gateway is reached.
func TestGatewaySecretsNeverLeave(t *testing.T) {
	e := newEnv(t, func(c *graphConfig, o *cfsimOptions) { o.ExtraGateways, c.Limits.MaxValues = 40, 1e6 })
	var secrets []string
	for _, id := range e.sim.Gateways() {
		c, _ := e.sim.GatewayConfig(id)
		secrets = append(secrets, c.Secrets()...)
	}
	if len(secrets) < 20 {
		t.Fatalf("only %d credentials generated: the test proves little", len(secrets))
	}
	// They are on the wire: the upstream's answers hold them.
	req, _ := http.NewRequest(http.MethodGet, e.base+"/accounts/"+e.sim.AccountID()+"/ai-gateway/gateways?per_page=100", nil)
	req.Header.Set("Authorization", "Bearer "+cfsim.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, s := range secrets {
		if !strings.Contains(string(raw), s) {
			t.Fatalf("the upstream does not send %q", s)
		}
	}
	everything := settingsSelection + ` createdAt modifiedAt cacheTtl cacheInvalidateOnUpdate collectLogs rateLimitingInterval
		rateLimitingLimit rateLimitingTechnique authentication isDefault logManagement logManagementStrategy logpush dlp guardrails`
	queries := []string{
		`{ gateways(first: 100) { nodes { ` + everything + ` } } }`,
		`{ gateway(gatewayId: "prod-chat") { ` + everything + ` } }`,
	}
	for _, id := range e.sim.Gateways()[:30] {
		queries = append(queries, fmt.Sprintf(`{ gateway(gatewayId: %q) { otel { url contentType headerNames hasAuthorization } stripe { hasAuthorization usageEvents { payload } } } }`, id))
	}
	for _, q := range queries {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(gqlBody(q, nil)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			t.Fatalf("%s: %d %.300s", q, rec.Code, rec.Body)
		}
		for _, s := range secrets {
			if strings.Contains(rec.Body.String(), s) {
				t.Fatalf("the credential %q is in the answer to %s", s, q)
			}
		}
	}
}

// TestGatewaySettingsCountTowardTheAnswerSize: what a configuration object
// selects counts toward the answer's values, its lists by the spec's
// maxItems (20 spend limit rules), though it costs no further call.
func TestGatewaySettingsCountTowardTheAnswerSize(t *testing.T) {
	e := newEnv(t)
	q := `{ gateway(gatewayId: "prod-chat") { spendLimits { rules { id enabled limit window } } } }`
	if price := e.priceOf(q); price != 1 {
		t.Fatalf("price %v, want the one configuration lookup", price)
	}
	e.resolver.Config.Limits.MaxValues = 50
	rebuild(e)
	e.sim.ResetRequests()
	errs := e.do(q, nil, nil)
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if v, _ := errs[0].Extensions["values"].(float64); v < 20*4 {
		t.Fatalf("values %v, want the 4 fields of up to 20 rules counted", errs[0].Extensions)
	}
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
}
