package cfsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func (f *fixture) gatewaysURL() string {
	return f.ts.URL + "/client/v4/accounts/" + f.s.AccountID() + "/ai-gateway/gateways"
}

// gatewayList is a decoded 200 List Gateways answer.
type gatewayList struct {
	Success    bool             `json:"success"`
	Result     []map[string]any `json:"result"`
	ResultInfo map[string]any   `json:"result_info"`
}

func (f *fixture) listGateways(q url.Values) gatewayList {
	f.t.Helper()
	r := f.get(f.gatewaysURL() + "?" + q.Encode())
	if r.status != http.StatusOK {
		f.t.Fatalf("GET gateways?%s: status %d: %s", q.Encode(), r.status, r.body)
	}
	var a gatewayList
	if err := json.Unmarshal(r.body, &a); err != nil || !a.Success || a.Result == nil {
		f.t.Fatalf("not a success answer (%v): %s", err, r.body)
	}
	return a
}

func gatewayIDs(a gatewayList) []string {
	var ids []string
	for _, g := range a.Result {
		ids = append(ids, g["id"].(string))
	}
	return ids
}

func TestListGatewaysDefault(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	a := f.listGateways(nil)
	if got := gatewayIDs(a); !slices.Equal(got, []string{"prod-chat", "staging", "batch-jobs"}) {
		t.Fatalf("ids %v", got)
	}
	if a.ResultInfo != nil {
		t.Errorf("result_info %v, want none (the spec documents none)", a.ResultInfo)
	}
	if b := newFixture(t, Options{LogsPerGateway: 10, GatewaysWithResultInfo: true}).listGateways(nil); !reflect.DeepEqual(b.ResultInfo, map[string]any{"page": 1.0, "per_page": 20.0, "count": 3.0, "total_count": 3.0}) {
		t.Errorf("GatewaysWithResultInfo: result_info %v", b.ResultInfo)
	}
	required := []string{"id", "created_at", "modified_at", "cache_ttl", "cache_invalidate_on_update", "collect_logs",
		"rate_limiting_interval", "rate_limiting_limit", "rate_limiting_technique", "authentication", "is_default",
		"logpush", "log_classification", "zdr", "log_management", "log_management_strategy", "guardrails",
		"retry_backoff", "retry_delay", "retry_max_attempts", "spend_limits", "workers_ai_billing_mode", "otel",
		"logpush_public_key", "store_id", "stripe"}
	var dlp, guardrails, rlOn, rlOff int
	for i, g := range a.Result {
		for _, k := range required {
			if _, ok := g[k]; !ok {
				t.Errorf("%v lacks %q", g["id"], k)
			}
		}
		if g["is_default"] != (i == 0) {
			t.Errorf("%v: is_default %v", g["id"], g["is_default"])
		}
		if g["collect_logs"] != true {
			t.Errorf("%v has logs but collect_logs %v", g["id"], g["collect_logs"])
		}
		for _, k := range []string{"created_at", "modified_at"} {
			s, _ := g[k].(string)
			ts, err := time.Parse(time.RFC3339, s)
			if !createdAtRE.MatchString(s) || err != nil || !ts.Before(testNow.Add(-historySpan)) {
				t.Errorf("%v: %s %q is not a past timestamp before the logs", g["id"], k, s)
			}
		}
		if g["created_at"].(string) > g["modified_at"].(string) {
			t.Errorf("%v modified before it was created", g["id"])
		}
		if d, ok := g["dlp"].(map[string]any); ok {
			dlp++
			if _, ok := d["enabled"].(bool); !ok || (d["action"] != "FLAG" && d["action"] != "BLOCK") {
				t.Errorf("dlp %v", d)
			}
			if p, ok := d["profiles"].([]any); !ok || len(p) == 0 {
				t.Errorf("dlp profiles %v", d["profiles"])
			}
		}
		if gr, ok := g["guardrails"].(map[string]any); ok {
			guardrails++
			if _, ok := gr["prompt"].(map[string]any); !ok {
				t.Errorf("guardrails %v", gr)
			}
			if _, ok := gr["response"].(map[string]any); !ok {
				t.Errorf("guardrails %v", gr)
			}
		}
		switch {
		case g["rate_limiting_limit"] == nil && g["rate_limiting_interval"] == nil && g["rate_limiting_technique"] == nil:
			rlOff++
		case g["rate_limiting_limit"] != nil && g["rate_limiting_interval"] != nil && g["rate_limiting_technique"] != nil:
			rlOn++
		default:
			t.Errorf("%v: rate limiting half set", g["id"])
		}
		if (g["log_management"] == nil) != (g["log_management_strategy"] == nil) {
			t.Errorf("%v: log_management %v with strategy %v", g["id"], g["log_management"], g["log_management_strategy"])
		}
	}
	// With the default seed the default gateways show every shape.
	if dlp == 0 || guardrails == 0 || rlOn == 0 || rlOff == 0 {
		t.Errorf("dlp %d, guardrails %d, rate limiting on %d / off %d: want each ≥ 1", dlp, guardrails, rlOn, rlOff)
	}
}

func TestGetGateway(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10, ExtraGateways: 2})
	list := f.listGateways(nil)
	for i, id := range f.s.Gateways() {
		r := f.get(f.gatewaysURL() + "/" + id)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", id, r.status, r.body)
		}
		var a struct {
			Success  bool            `json:"success"`
			Errors   []any           `json:"errors"`
			Messages []any           `json:"messages"`
			Result   json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(r.body, &a); err != nil || !a.Success || a.Errors == nil || a.Messages == nil {
			t.Fatalf("%s: not a success envelope: %s", id, r.body)
		}
		cfg, ok := f.s.GatewayConfig(id)
		want, _ := json.Marshal(cfg)
		if !ok || string(a.Result) != string(want) {
			t.Errorf("%s: result %s, GatewayConfig %s", id, a.Result, want)
		}
		var item map[string]any
		json.Unmarshal(a.Result, &item)
		if !reflect.DeepEqual(item, list.Result[i]) {
			t.Errorf("%s: differs from its list item", id)
		}
	}
	wantError(t, f.get(f.gatewaysURL()+"/nope"), http.StatusNotFound, codeNotFound)
	wantError(t, f.get(f.gatewaysURL()+"/"+strings.Repeat("g", 65)), http.StatusNotFound, codeNotFound)
	if _, ok := f.s.GatewayConfig("nope"); ok {
		t.Error("GatewayConfig of an unknown gateway")
	}
	// Credentials and account are checked as on the logs endpoints.
	wantError(t, f.get(f.gatewaysURL()+"/staging", "X-No", "auth"), http.StatusBadRequest, codeMissingAuth)
	wantError(t, f.get(f.gatewaysURL(), "Authorization", "Bearer wrong"), http.StatusUnauthorized, codeAuthError)
	other := strings.Replace(f.gatewaysURL(), DefaultAccountID, "ffffffffffffffffffffffffffffffff", 1)
	wantError(t, f.get(other), http.StatusNotFound, codeCouldNotRoute)
	wantError(t, f.get(other+"/staging"), http.StatusNotFound, codeCouldNotRoute)
}

// TestListGatewaysPaging checks the pages against result_info, which
// GatewaysWithResultInfo adds.
func TestListGatewaysPaging(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 5, ExtraGateways: 205, GatewaysWithResultInfo: true})
	all := f.s.Gateways()
	if len(all) != 208 || all[3] != "gw-001" || all[207] != "gw-205" {
		t.Fatalf("Gateways: %d, %v…", len(all), all[:5])
	}
	if n := len(f.s.Logs("gw-007")); n != 0 {
		t.Errorf("extra gateway has %d logs", n)
	}
	if a := f.list("gw-007", nil); len(a.Result) != 0 {
		t.Error("extra gateway's logs list is not empty")
	}
	var walked []string
	for page := 1; ; page++ {
		a := f.listGateways(url.Values{"per_page": {"100"}, "page": {itoaT(page)}})
		ri := a.ResultInfo
		if ri["page"] != float64(page) || ri["per_page"] != 100.0 || ri["count"] != float64(len(a.Result)) || ri["total_count"] != 208.0 {
			t.Fatalf("page %d: result_info %v", page, ri)
		}
		if len(a.Result) == 0 {
			if page != 4 {
				t.Fatalf("empty page %d", page)
			}
			break
		}
		walked = append(walked, gatewayIDs(a)...)
	}
	if !slices.Equal(walked, all) {
		t.Fatalf("walked %d gateways, want Gateways() in order", len(walked))
	}
	if a := f.listGateways(nil); len(a.Result) != 20 || a.ResultInfo["per_page"] != 20.0 {
		t.Errorf("default per_page: %d items, %v", len(a.Result), a.ResultInfo)
	}
	if a := f.listGateways(url.Values{"page": {"99999999"}}); len(a.Result) != 0 {
		t.Error("page far past the end is not empty")
	}

	// search: case-insensitive substring of the id.
	a := f.listGateways(url.Values{"search": {"GW-00"}})
	if want := []string{"gw-001", "gw-002", "gw-003", "gw-004", "gw-005", "gw-006", "gw-007", "gw-008", "gw-009"}; !slices.Equal(gatewayIDs(a), want) ||
		a.ResultInfo["total_count"] != 9.0 {
		t.Errorf("search GW-00: %v %v", gatewayIDs(a), a.ResultInfo)
	}
	if a := f.listGateways(url.Values{"search": {"stag"}}); !slices.Equal(gatewayIDs(a), []string{"staging"}) {
		t.Errorf("search stag: %v", gatewayIDs(a))
	}
	if a := f.listGateways(url.Values{"search": {"zzz"}}); len(a.Result) != 0 || a.ResultInfo["total_count"] != 0.0 {
		t.Errorf("search zzz: %v", a)
	}
	// Names already taken are skipped.
	s := New(Options{Now: fixedNow, LogsPerGateway: 1, Gateways: []string{"gw-002", "a"}, ExtraGateways: 3})
	if got := s.Gateways(); !slices.Equal(got, []string{"gw-002", "a", "gw-001", "gw-003", "gw-004"}) {
		t.Errorf("Gateways %v", got)
	}
}

func TestListGatewaysValidation(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 5})
	for _, q := range []string{"per_page=0", "per_page=101", "per_page=abc", "per_page=", "per_page=1.5",
		"page=0", "page=-1", "page=x", "page=99999999999999999999999"} {
		wantError(t, f.get(f.gatewaysURL()+"?"+q), http.StatusBadRequest, 0)
	}
	r := f.get(f.gatewaysURL() + "?page=0&per_page=500")
	if e := decodeError(t, r); len(e.Errors) != 2 {
		t.Errorf("want one error per problem: %s", r.body)
	}
	for _, q := range []string{"per_page=1", "per_page=100", "page=1", "unknown=1", "search="} {
		if r := f.get(f.gatewaysURL() + "?" + q); r.status != http.StatusOK {
			t.Errorf("%s: status %d", q, r.status)
		}
	}
}

func TestGatewayConfigDeterminism(t *testing.T) {
	conf := func(s *Server, id string) string {
		c, ok := s.GatewayConfig(id)
		if !ok {
			t.Fatalf("no config for %s", id)
		}
		b, _ := json.Marshal(c)
		return string(b)
	}
	a := New(Options{Seed: 5, Now: fixedNow, LogsPerGateway: 1, ExtraGateways: 10})
	b := New(Options{Seed: 5, Now: fixedNow, LogsPerGateway: 1, ExtraGateways: 10})
	c := New(Options{Seed: 6, Now: fixedNow, LogsPerGateway: 1, ExtraGateways: 10})
	differ := 0
	for _, id := range a.Gateways() {
		if conf(a, id) != conf(b, id) {
			t.Errorf("%s: same seed, different config", id)
		}
		if conf(a, id) != conf(c, id) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("different seeds, same configs")
	}
	// A gateway's config depends on its name, not on the other gateways
	// (is_default, which marks the first, aside).
	x := New(Options{Now: fixedNow, LogsPerGateway: 1, Gateways: []string{"a", "b"}})
	y := New(Options{Now: fixedNow, LogsPerGateway: 1, Gateways: []string{"c", "b"}})
	if conf(x, "b") != conf(y, "b") {
		t.Error("gateway b's config changed with its neighbours")
	}
	// The configs do not change the logs generated before they existed.
	if !reflect.DeepEqual(x.Logs("b"), y.Logs("b")) {
		t.Error("logs of b differ")
	}
	// GatewayConfig returns copies.
	g, _ := a.GatewayConfig("prod-chat")
	if g.CacheTTL != nil {
		*g.CacheTTL = -5
	}
	if len(g.DLP) > 0 {
		g.DLP[0] = 'X'
	}
	if g2, _ := a.GatewayConfig("prod-chat"); (g2.CacheTTL != nil && *g2.CacheTTL == -5) || (len(g2.DLP) > 0 && g2.DLP[0] == 'X') {
		t.Error("GatewayConfig shares the server's data")
	}
}

func TestGatewayRoutesMethods(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 5})
	id := f.s.Logs("staging")[0].ID
	cases := []struct {
		url, allow string
		methods    []string
	}{
		{f.gatewaysURL(), "GET", []string{http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut}},
		{f.gatewaysURL() + "/staging", "GET", []string{http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut}},
		{f.logsURL("staging") + "/" + id, "GET, PATCH", []string{http.MethodPost, http.MethodDelete, http.MethodPut}},
		{f.logsURL("staging") + "/" + id + "/request", "GET", []string{http.MethodPost, http.MethodPatch, http.MethodDelete}},
		{f.logsURL("staging") + "/" + id + "/response", "GET", []string{http.MethodPost, http.MethodPatch, http.MethodDelete}},
	}
	for _, c := range cases {
		for _, m := range c.methods {
			r, err := f.do(t.Context(), m, c.url)
			if err != nil {
				t.Fatal(err)
			}
			wantError(t, r, http.StatusMethodNotAllowed, codeMethod)
			if got := r.header.Get("Allow"); got != c.allow {
				t.Errorf("%s %s: Allow %q, want %q", m, c.url, got, c.allow)
			}
		}
	}
	// Both base paths.
	for _, p := range []string{"/client/v4/accounts/" + DefaultAccountID + "/ai-gateway/gateways",
		"/accounts/" + DefaultAccountID + "/ai-gateway/gateways/batch-jobs"} {
		if r := f.get(f.ts.URL + p); r.status != http.StatusOK {
			t.Errorf("%s: status %d", p, r.status)
		}
	}
	reqs := f.s.Requests()
	last := reqs[len(reqs)-1]
	if last.GatewayID != "batch-jobs" || last.LogID != "" || last.AccountID != DefaultAccountID {
		t.Errorf("recorded %+v", last)
	}
}

func ExampleServer_GatewayConfig() {
	s := New(Options{LogsPerGateway: 1, Now: fixedNow})
	g, _ := s.GatewayConfig("prod-chat")
	fmt.Println(g.ID, g.IsDefault, g.CollectLogs)
	// Output: prod-chat true true
}
