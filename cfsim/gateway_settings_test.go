package cfsim

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestGatewaySettingsVary: across many gateways every later setting is
// both set and unset, Fetch Gateway serves exactly GatewayConfig, and the
// credentials Secrets lists are all in the answer and unique.
func TestGatewaySettingsVary(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 1, ExtraGateways: 60})
	set := map[string]int{}
	seen := map[string]bool{}
	for _, id := range f.s.Gateways() {
		c, _ := f.s.GatewayConfig(id)
		r := f.get(f.gatewaysURL() + "/" + id)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", id, r.status, r.body)
		}
		var env struct{ Result map[string]json.RawMessage }
		if err := json.Unmarshal(r.body, &env); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(c)
		var wantMap map[string]json.RawMessage
		_ = json.Unmarshal(want, &wantMap)
		if !reflect.DeepEqual(env.Result, wantMap) {
			t.Fatalf("%s: served %s, config %s", id, r.body, want)
		}
		for _, k := range []string{"retry_backoff", "spend_limits", "otel", "logpush_public_key", "store_id", "stripe"} {
			if string(env.Result[k]) != "null" {
				set[k]++
			}
		}
		if string(env.Result["workers_ai_billing_mode"]) == `"unified"` {
			set["workers_ai_billing_mode"]++
		}
		for _, s := range c.Secrets() {
			if seen[s] || len(s) < 16 || !strings.Contains(string(r.body), s) {
				t.Fatalf("%s: credential %q repeated, short or not served", id, s)
			}
			seen[s] = true
		}
	}
	n := len(f.s.Gateways())
	for _, k := range []string{"retry_backoff", "spend_limits", "otel", "logpush_public_key", "store_id", "stripe", "workers_ai_billing_mode"} {
		if set[k] == 0 || set[k] == n {
			t.Errorf("%s set on %d of %d gateways: one case goes untested", k, set[k], n)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d credentials generated", len(seen))
	}
}
