package restclient

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
)

// simPageBody is a real 50-log List Gateway Logs answer from cfsim, taken
// through its http.Handler (no network), as the service would receive it.
func simPageBody(tb testing.TB, query string) []byte {
	tb.Helper()
	return simBody(tb, func(*cfsim.Server) string { return "/gateways/prod-chat/logs?" + query })
}

// benchSim is the cfsim the answers come from, generated once: the
// requests only read it, and 7,500 logs take a while to make.
var benchSim = sync.OnceValue(func() *cfsim.Server {
	return cfsim.New(cfsim.Options{LogsPerGateway: 2500, Now: func() time.Time { return benchNow }})
})

// simBody is cfsim's 200 answer to GET …/ai-gateway{path(sim)}.
func simBody(tb testing.TB, path func(*cfsim.Server) string) []byte {
	tb.Helper()
	sim := benchSim()
	req := httptest.NewRequest(http.MethodGet, "/client/v4/accounts/"+sim.AccountID()+"/ai-gateway"+path(sim), nil)
	req.Header.Set("Authorization", "Bearer "+cfsim.DemoToken)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("cfsim: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

const page50Query = "order_by=created_at&order_by_direction=desc&page=1&per_page=50"

// BenchmarkDecodeListLogs50 measures decoding alone: one 50-log page.
func BenchmarkDecodeListLogs50(b *testing.B) {
	body := simPageBody(b, page50Query)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := decodeListLogs(body)
		if err != nil || len(page.Logs) != 50 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkDecodeListLogs50MetaInfo is the same page with the min/max figures.
func BenchmarkDecodeListLogs50MetaInfo(b *testing.B) {
	body := simPageBody(b, page50Query+"&meta_info=true")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := decodeListLogs(body)
		if err != nil || len(page.Logs) != 50 || page.Info.MinCost == nil {
			b.Fatalf("%v", err)
		}
	}
}

var benchNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
