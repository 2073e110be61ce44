package cfsim

import (
	"net/http"
	"strings"
	"testing"
)

// TestDeleteGateway: a deleted gateway's logs, settings and log lookups
// answer 404 code 7002, and List Gateways leaves it out; the others stay.
func TestDeleteGateway(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 5})
	logID := f.s.Logs("staging")[0].ID
	if !f.s.DeleteGateway("staging") {
		t.Fatal("DeleteGateway(staging) = false, want true")
	}
	if f.s.DeleteGateway("staging") || f.s.DeleteGateway("nope") {
		t.Fatal("DeleteGateway of a gateway that is not there reported true")
	}
	base := f.ts.URL + "/client/v4/accounts/" + f.s.AccountID() + "/ai-gateway/gateways/"
	for _, u := range []string{base + "staging/logs", base + "staging", base + "staging/logs/" + logID} {
		r := f.get(u)
		if r.status != http.StatusNotFound || !strings.Contains(string(r.body), `"code":7002`) {
			t.Errorf("GET %s: %d %s, want 404 code 7002", u, r.status, r.body)
		}
	}
	if r := f.get(base + "prod-chat/logs"); r.status != http.StatusOK {
		t.Errorf("another gateway's logs: %d", r.status)
	}
	if r := f.get(strings.TrimSuffix(base, "/")); strings.Contains(string(r.body), `"staging"`) || !strings.Contains(string(r.body), `"prod-chat"`) {
		t.Errorf("List Gateways after the deletion: %s", r.body)
	}
	if _, ok := f.s.GatewayConfig("staging"); ok || f.s.Append("staging", 1) != nil {
		t.Error("the deleted gateway still has a configuration or takes logs")
	}
}
