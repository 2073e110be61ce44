package cfsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New(Options{Now: fixedNow})
	}
}

// benchList serves one query straight through the handler (no network), to
// keep an eye on the per-request cost the demo and other benchmarks pay.
func benchList(b *testing.B, q url.Values) {
	s := New(Options{Now: fixedNow})
	target := "/client/v4/accounts/" + DefaultAccountID + "/ai-gateway/gateways/prod-chat/logs?" + q.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+DemoToken)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
		s.ResetRequests()
	}
}

func BenchmarkListDefault(b *testing.B) { benchList(b, url.Values{"per_page": {"50"}}) }

func BenchmarkListDefaultMeta(b *testing.B) {
	benchList(b, url.Values{"per_page": {"50"}, "meta_info": {"true"}})
}

func BenchmarkListOrderedByModel(b *testing.B) {
	benchList(b, url.Values{"per_page": {"50"}, "order_by": {"model"}, "order_by_direction": {"asc"}})
}

func BenchmarkListFiltered(b *testing.B) {
	q := filtersQ(Filter{"provider", "eq", []any{"openai", "anthropic"}}, Filter{"cost", "gt", []any{0.001}})
	q.Set("meta_info", "true")
	benchList(b, q)
}
