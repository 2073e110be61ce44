package restclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestGatewaySettingsDecoding: the settings the spec names decode to typed
// values; the otel and stripe credentials are reduced to whether they are
// set and which headers exist, and appear nowhere in what is kept.
func TestGatewaySettingsDecoding(t *testing.T) {
	const secrets = "otel-auth-SECRET|header-value-SECRET|stripe-auth-SECRET"
	answer := `{"success":true,"result":{"id":"g","created_at":"2025-01-02T03:04:05Z","modified_at":"2025-01-02T03:04:05Z",
		"retry_backoff":"exponential","retry_delay":250.0,"retry_max_attempts":3,"workers_ai_billing_mode":"unified",
		"logpush_public_key":"-----BEGIN PUBLIC KEY-----x","store_id":"store-1","zdr":true,"log_classification":false,
		"spend_limits":{"enabled":true,"rules":[
			{"id":"r1","enabled":false,"limitType":"cost","limit":12.5,"window":86400,"technique":"fixed",
			 "provider":{"mode":"filter","values":["openai"]},"model":{"mode":"filter","values":[]},
			 "metadata":{"user":{"mode":"partition"},"team":{"mode":"filter","values":["ml","web"]}}},
			{"limitType":"cost","limit":1,"window":60}]},
		"otel":[{"url":"https://otel.example/v1/traces","content_type":"protobuf","authorization":"otel-auth-SECRET",
		         "headers":{"x-team":"header-value-SECRET","X-Api-Key":"header-value-SECRET"}},
		        {"url":"https://b.example","headers":{}}],
		"stripe":{"authorization":"stripe-auth-SECRET","usage_events":[{"payload":"{\"event\":\"tokens\"}"}]}}}`
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, answer) })
	c, _ := newTestClient(t, srv, Options{}, false)
	g, err := c.GetGateway(context.Background(), Credentials{Token: testToken}, testAccount, "g")
	if err != nil {
		t.Fatal(err)
	}
	want := Gateway{
		RetryBackoff: ptr("exponential"), RetryDelay: ptr(250), RetryMaxAttempts: ptr(3), WorkersAIBillingMode: ptr("unified"),
		LogpushPublicKey: ptr("-----BEGIN PUBLIC KEY-----x"), StoreID: ptr("store-1"), ZDR: ptr(true), LogClassification: ptr(false),
		SpendLimits: &SpendLimits{Enabled: true, Rules: []SpendLimitRule{
			{ID: ptr("r1"), Enabled: ptr(false), LimitType: "cost", Limit: 12.5, Window: 86400, Technique: ptr("fixed"),
				Provider: &SpendLimitScope{Mode: "filter", Values: []string{"openai"}}, Model: &SpendLimitScope{Mode: "filter", Values: []string{}},
				Metadata: []SpendLimitMetadataScope{{Key: "team", Mode: "filter", Values: []string{"ml", "web"}}, {Key: "user", Mode: "partition", Values: []string{}}}},
			{LimitType: "cost", Limit: 1, Window: 60, Metadata: []SpendLimitMetadataScope{}},
		}},
		Otel: []OtelExporter{
			{URL: "https://otel.example/v1/traces", ContentType: ptr("protobuf"), HeaderNames: []string{"X-Api-Key", "x-team"}, HasAuthorization: true},
			{URL: "https://b.example", HeaderNames: []string{}},
		},
		Stripe: &Stripe{UsageEvents: []StripeUsageEvent{{Payload: `{"event":"tokens"}`}}, HasAuthorization: true},
	}
	got := *g
	got.ID, got.CreatedAt, got.ModifiedAt = "", want.CreatedAt, want.ModifiedAt
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded\n got %+v\nwant %+v", got, want)
	}
	kept, _ := json.Marshal(g)
	for _, secret := range strings.Split(secrets, "|") {
		if strings.Contains(fmt.Sprintf("%#v", g), secret) || strings.Contains(string(kept), secret) {
			t.Errorf("%s is kept", secret)
		}
	}
}

// TestGatewaySettingsEdges: null and absent settings are nil; a credential
// of any shape, or an empty one, never fails the answer; a spend limit rule
// without its required members does.
func TestGatewaySettingsEdges(t *testing.T) {
	var answer string
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, answer) })
	c, _ := newTestClient(t, srv, Options{}, false)
	get := func(result string) (*Gateway, error) {
		answer = `{"success":true,"result":` + result + `}`
		return c.GetGateway(context.Background(), Credentials{Token: testToken}, testAccount, "g")
	}
	g, err := get(`{"id":"g","spend_limits":null,"otel":null,"stripe":null,"retry_delay":null,"store_id":null}`)
	if err != nil || g.SpendLimits != nil || g.Otel != nil || g.Stripe != nil || g.RetryDelay != nil || g.StoreID != nil || g.RetryBackoff != nil {
		t.Fatalf("nulls: %+v, %v", g, err)
	}
	g, err = get(`{"id":"g","otel":[{"url":"u","authorization":{"odd":1},"headers":{"h":5}}],"stripe":{"authorization":"","usage_events":null}}`)
	if err != nil || !g.Otel[0].HasAuthorization || !reflect.DeepEqual(g.Otel[0].HeaderNames, []string{"h"}) ||
		g.Stripe.HasAuthorization || g.Stripe.UsageEvents == nil {
		t.Fatalf("odd credentials: %+v, %v", g, err)
	}
	for _, bad := range []string{
		`{"id":"g","spend_limits":{"rules":[{"limitType":"cost","window":60}]}}`,            // no limit
		`{"id":"g","spend_limits":{"rules":[{"limitType":"cost","limit":1,"window":1.5}]}}`, // fractional window
		`{"id":"g","retry_delay":"250"}`,
	} {
		if _, err := get(bad); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}
