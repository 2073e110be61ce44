package cfsim

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// Faults, the request log and MaxInFlight cover the new endpoints too.
func TestNewEndpointsFaultsAndFlight(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 20})
	l := f.s.Logs("staging")[0]
	u := f.logURL("staging", l.ID)

	f.s.InjectFault(Fault{Kind: FaultServerError, Status: 503})
	wantError(t, f.get(f.gatewaysURL()), http.StatusServiceUnavailable, codeInternalError)
	// A fault for one gateway does not reach List Gateways, which has none.
	f.s.InjectFault(Fault{Kind: FaultRateLimit, Gateway: "staging"})
	if r := f.get(f.gatewaysURL()); r.status != http.StatusOK {
		t.Fatalf("gateway-specific fault hit List Gateways: %d", r.status)
	}
	wantError(t, f.get(f.gatewaysURL()+"/staging"), http.StatusTooManyRequests, codeRateLimited)
	// A failed PATCH is not applied.
	f.s.InjectFault(Fault{Kind: FaultServerError})
	wantError(t, f.send(http.MethodPatch, u, `{"score":42}`), http.StatusInternalServerError, codeInternalError)
	if findLog(t, f.s, "staging", l.ID).Score != nil {
		t.Fatal("PATCH applied despite the injected 500")
	}
	f.s.InjectFault(Fault{Kind: FaultMalformedJSON})
	if r := f.get(u + "/request"); r.status != 200 || json.Valid(r.body) {
		t.Fatalf("malformed fault: %d %s", r.status, r.body)
	}
	f.s.InjectFault(Fault{Kind: FaultDropConnection})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, u+"/response", nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	awaitRequests(t, f.s, 6)
	var statuses []int
	for _, r := range f.s.Requests() {
		statuses = append(statuses, r.Status)
	}
	if want := []int{503, 200, 429, 500, 200, StatusDropped}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v", statuses)
	}

	// Concurrent calls to the new endpoints are counted in flight.
	f.s.ResetRequests()
	f.s.SetLatency(150 * time.Millisecond)
	var wg sync.WaitGroup
	for _, target := range []string{f.gatewaysURL(), f.gatewaysURL() + "/staging", u + "/request", u + "/response"} {
		wg.Go(func() {
			if _, err := f.do(context.Background(), http.MethodGet, target); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Go(func() { f.send(http.MethodPatch, u, `{"score":1}`) })
	wg.Wait()
	f.s.SetLatency(0)
	if n := f.s.MaxInFlight(); n < 2 {
		t.Errorf("MaxInFlight %d, want ≥ 2", n)
	}
	if n := f.s.RequestCount(); n != 5 {
		t.Errorf("%d requests recorded, want 5", n)
	}
}
