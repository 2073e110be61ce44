package cfsim

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestQuirksBreakWhatTheySay: each quirk changes the one answer it is
// about, and the same request to a simulator without it is answered as
// docs/upstream.md says.
func TestQuirksBreakWhatTheySay(t *testing.T) {
	plain := newFixture(t, Options{LogsPerGateway: 200})
	logs := plain.s.Logs("prod-chat")
	first, second := logs[0], logs[1]
	total := func(f *fixture, q url.Values) int {
		t.Helper()
		n, _ := f.list("prod-chat", q).info("total_count")
		return int(n)
	}
	// a log inside its second, so that truncating to the second moves it
	var inSecond Log
	for _, l := range logs {
		if ms := l.CreatedAt.Nanosecond() / 1e6; ms > 0 && ms < 999 {
			inSecond = l
			break
		}
	}
	at := inSecond.CreatedAt.Format(timeLayout)
	after := inSecond.CreatedAt.Add(time.Millisecond).Format(timeLayout)

	t.Run("IgnoreKey", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{IgnoreKey: "provider"}})
		q := filtersQ(Filter{"provider", "eq", []any{first.Provider}})
		if got, all := total(f, q), total(f, url.Values{}); got != all {
			t.Errorf("provider eq ignored: total %d, want all %d", got, all)
		}
		if got := total(plain, q); got >= len(logs) {
			t.Errorf("plain: provider eq gave all %d logs", got)
		}
	})
	t.Run("EqAllOf", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{EqAllOf: true}})
		q := filtersQ(Filter{"id", "eq", []any{first.ID, second.ID}})
		if got := total(f, q); got != 0 {
			t.Errorf("all of two ids: total %d, want 0", got)
		}
		if got := total(f, filtersQ(Filter{"id", "eq", []any{first.ID}})); got != 1 {
			t.Errorf("one id: total %d, want 1", got)
		}
		if got := total(plain, q); got != 2 {
			t.Errorf("plain: any of two ids: total %d, want 2", got)
		}
	})
	t.Run("CreatedAtSeconds", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{CreatedAtSeconds: true}})
		lt := func(s string) url.Values { return filtersQ(Filter{"created_at", "lt", []any{s}}) }
		if a, b := total(f, lt(at)), total(f, lt(after)); a != b {
			t.Errorf("second precision: lt %s gave %d, lt %s gave %d: want equal", at, a, after, b)
		}
		if a, b := total(plain, lt(at)), total(plain, lt(after)); b <= a {
			t.Errorf("plain: lt %s gave %d, lt %s gave %d: want more", at, a, after, b)
		}
	})
	t.Run("RejectOrderBy", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{RejectOrderBy: "model_type"}})
		wantError(t, f.get(f.logsURL("prod-chat")+"?order_by=model_type"), http.StatusBadRequest, 0)
		f.list("prod-chat", url.Values{"order_by": {"model"}})
		plain.list("prod-chat", url.Values{"order_by": {"model_type"}})
	})
	t.Run("ClampPerPage", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{ClampPerPage: true}})
		a := f.list("prod-chat", url.Values{"per_page": {"51"}})
		if pp, _ := a.info("per_page"); len(a.Result) != 50 || pp != 50 {
			t.Errorf("per_page 51: %d logs, per_page %v; want 50 and 50", len(a.Result), pp)
		}
		wantError(t, plain.get(plain.logsURL("prod-chat")+"?per_page=51"), http.StatusBadRequest, 0)
	})
	t.Run("NoMetaInfo", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{NoMetaInfo: true}})
		q := url.Values{"meta_info": {"true"}}
		if _, ok := f.list("prod-chat", q).info("min_duration"); ok {
			t.Error("min_duration sent")
		}
		if _, ok := plain.list("prod-chat", q).info("min_duration"); !ok {
			t.Error("plain: no min_duration")
		}
		wantError(t, f.get(f.logsURL("prod-chat")+"?meta_info=maybe"), http.StatusBadRequest, 0)
	})
	t.Run("MissingGatewayEmpty", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{MissingGatewayEmpty: true}})
		if a := f.list("no-such-gateway", url.Values{}); len(a.Result) != 0 {
			t.Errorf("%d logs", len(a.Result))
		}
		wantError(t, plain.get(plain.logsURL("no-such-gateway")), http.StatusNotFound, codeNotFound)
	})
	t.Run("WrongAccountNotFound", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{WrongAccountNotFound: true}})
		path := "/client/v4/accounts/00000000000000000000000000000000/ai-gateway/gateways/prod-chat/logs"
		wantError(t, f.get(f.ts.URL+path), http.StatusNotFound, codeNotFound)
		wantError(t, plain.get(plain.ts.URL+path), http.StatusNotFound, codeCouldNotRoute)
	})
	t.Run("MissingCredentialForbidden", func(t *testing.T) {
		f := newFixture(t, Options{LogsPerGateway: 200, Quirks: Quirks{MissingCredentialForbidden: true}})
		wantError(t, f.get(f.logsURL("prod-chat"), "X-None", "x"), http.StatusForbidden, codeAuthError)
		wantError(t, f.get(f.logsURL("prod-chat"), "Authorization", "Bearer wrong"), http.StatusUnauthorized, codeAuthError)
		wantError(t, plain.get(plain.logsURL("prod-chat"), "X-None", "x"), http.StatusBadRequest, codeMissingAuth)
	})
}
