package cfsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzFiltersParam feeds arbitrary `filters` values through the handler:
// whatever arrives, the answer is a 200 list or a 400 envelope — never a
// 5xx, a panic or a body that is not JSON.
func FuzzFiltersParam(f *testing.F) {
	for _, seed := range []string{
		``, `[]`, `null`, `{}`, `[{}]`, `[null]`, `"x"`, `[1]`, `[[]]`,
		`[{"key":"provider","operator":"eq","value":["openai","anthropic"]}]`,
		`[{"key":"cost","operator":"gt","value":[0.5]}]`,
		`[{"key":"cost","operator":"lt","value":["1e400"]}]`,
		`[{"key":"cost","operator":"lt","value":[1e400]}]`,
		`[{"key":"tokens","operator":"lt","value":["NaN"]}]`,
		`[{"key":"created_at","operator":"gt","value":["2026-11-20T00:00:00Z"]}]`,
		`[{"key":"created_at","operator":"eq","value":[null]}]`,
		`[{"key":"metadata.value","operator":"contains","value":[2,true,"u-1"]}]`,
		`[{"key":"success","operator":"neq","value":[null,"true"]}]`,
		`[{"key":"id","operator":"gt","value":[""]}]`,
		`[{"key":"model","operator":"contains","value":[""]}]`,
		`[{"key":"provider","operator":"eq","value":["openai"]}`,
		`[{"key":"provider","operator":"eq","value":{"0":"openai"}}]`,
		`[{"key":"provider","operator":"eq","value":["\ud800"]}]`,
		"[{\"key\":\"provider\",\"operator\":\"eq\",\"value\":[\"\xff\"]}]",
	} {
		f.Add(seed)
	}
	s := New(Options{LogsPerGateway: 60, Now: fixedNow})
	base := "/client/v4/accounts/" + DefaultAccountID + "/ai-gateway/gateways/staging/logs?"
	f.Fuzz(func(t *testing.T, filters string) {
		for _, extra := range []string{"", "&meta_info=true&order_by=model&search=a"} {
			req := httptest.NewRequest(http.MethodGet, base+url.Values{"filters": {filters}}.Encode()+extra, nil)
			req.Header.Set("Authorization", "Bearer "+DemoToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
				t.Fatalf("filters=%q: status %d: %s", filters, w.Code, w.Body)
			}
			var body struct {
				Success *bool `json:"success"`
				Errors  []struct {
					Message string `json:"message"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Success == nil {
				t.Fatalf("filters=%q: body not an envelope: %v: %s", filters, err, w.Body)
			}
			if *body.Success != (w.Code == http.StatusOK) || (w.Code == 400 && (len(body.Errors) == 0 || body.Errors[0].Message == "")) {
				t.Fatalf("filters=%q: inconsistent envelope: %s", filters, w.Body)
			}
		}
		s.ResetRequests() // keep the request log from growing during long fuzz runs
	})
}
