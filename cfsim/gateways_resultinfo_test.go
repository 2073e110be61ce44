package cfsim

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"
)

// By default List Gateways answers as its spec documents: the same pages,
// and no result_info member at all.
func TestListGatewaysWithoutResultInfo(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 1, ExtraGateways: 5})
	r := f.get(f.gatewaysURL() + "?" + url.Values{"per_page": {"3"}, "page": {"2"}}.Encode())
	var a map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if _, ok := a["result_info"]; ok {
		t.Errorf("result_info present: %s", r.body)
	}
	if got := gatewayIDs(f.listGateways(url.Values{"per_page": {"3"}, "page": {"2"}})); !slices.Equal(got, f.s.Gateways()[3:6]) {
		t.Errorf("page 2 of 3: %v", got)
	}
}
