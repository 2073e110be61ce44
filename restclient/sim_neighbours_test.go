package restclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// The neighbouring endpoints (issue #7), round-tripped through cfsim on a
// loopback listener.

// newSimEnvOpts is newSimEnv with simulator options of the test's choosing.
func newSimEnvOpts(t *testing.T, so cfsim.Options, opts restclient.Options) *simEnv {
	t.Helper()
	if so.Now == nil {
		so.Now = func() time.Time { return simNow }
	}
	sim := cfsim.New(so)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	hc := restclient.NewHTTPClient(0)
	t.Cleanup(hc.CloseIdleConnections)
	opts.BaseURL, opts.HTTPClient = srv.URL+"/client/v4", hc
	c, err := restclient.New(opts)
	if err != nil {
		t.Fatalf("restclient.New: %v", err)
	}
	return &simEnv{sim: sim, c: c, creds: restclient.Credentials{Token: cfsim.DemoToken},
		acct: sim.AccountID(), gw: simGateway}
}

// wantGateway is what the client should make of the simulator's config.
func wantGateway(c cfsim.GatewayConfig) restclient.Gateway {
	return restclient.Gateway{
		ID: c.ID, CreatedAt: c.CreatedAt.UTC(), ModifiedAt: c.ModifiedAt.UTC(), CacheTTL: c.CacheTTL,
		CacheInvalidateOnUpdate: c.CacheInvalidateOnUpdate, CollectLogs: c.CollectLogs,
		RateLimitingInterval: c.RateLimitingInterval, RateLimitingLimit: c.RateLimitingLimit,
		RateLimitingTechnique: c.RateLimitingTechnique, Authentication: &c.Authentication, IsDefault: &c.IsDefault,
		Logpush: &c.Logpush, LogClassification: &c.LogClassification, ZDR: &c.ZDR,
		LogManagement: c.LogManagement, LogManagementStrategy: c.LogManagementStrategy,
		DLP: c.DLP, Guardrails: c.Guardrails,
		RetryBackoff: c.RetryBackoff, RetryDelay: c.RetryDelay, RetryMaxAttempts: c.RetryMaxAttempts,
		SpendLimits: wantSpendLimits(c.SpendLimits), WorkersAIBillingMode: &c.WorkersAIBillingMode, Otel: wantOtel(c.Otel),
		LogpushPublicKey: c.LogpushPublicKey, StoreID: c.StoreID, Stripe: wantStripe(c.Stripe),
	}
}

// wantSpendLimits, wantOtel and wantStripe are what the client keeps of
// the simulator's settings: everything but the credentials, metadata
// scopes sorted by key, header names sorted.
func wantSpendLimits(s *cfsim.SpendLimits) *restclient.SpendLimits {
	if s == nil {
		return nil
	}
	out := &restclient.SpendLimits{Enabled: s.Enabled, Rules: []restclient.SpendLimitRule{}}
	for _, r := range s.Rules {
		rule := restclient.SpendLimitRule{ID: &r.ID, Enabled: &r.Enabled, LimitType: r.LimitType, Limit: r.Limit, Window: r.Window,
			Technique: &r.Technique, Metadata: []restclient.SpendLimitMetadataScope{}}
		scope := func(s *cfsim.SpendLimitScope) *restclient.SpendLimitScope {
			if s == nil {
				return nil
			}
			return &restclient.SpendLimitScope{Mode: s.Mode, Values: s.Values}
		}
		rule.Provider, rule.Model = scope(r.Provider), scope(r.Model)
		for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
			rule.Metadata = append(rule.Metadata, restclient.SpendLimitMetadataScope{Key: k, Mode: r.Metadata[k].Mode, Values: append([]string{}, r.Metadata[k].Values...)})
		}
		out.Rules = append(out.Rules, rule)
	}
	return out
}

func wantOtel(o []cfsim.OtelExporter) []restclient.OtelExporter {
	if o == nil {
		return nil
	}
	out := []restclient.OtelExporter{}
	for _, e := range o {
		x := restclient.OtelExporter{URL: e.URL, HeaderNames: slices.Sorted(maps.Keys(e.Headers)), HasAuthorization: e.Authorization != ""}
		if e.ContentType != "" {
			x.ContentType = &e.ContentType
		}
		if x.HeaderNames == nil {
			x.HeaderNames = []string{}
		}
		out = append(out, x)
	}
	return out
}

func wantStripe(s *cfsim.Stripe) *restclient.Stripe {
	if s == nil {
		return nil
	}
	events := []restclient.StripeUsageEvent{}
	for _, e := range s.UsageEvents {
		events = append(events, restclient.StripeUsageEvent{Payload: e.Payload})
	}
	return &restclient.Stripe{UsageEvents: events, HasAuthorization: s.Authorization != ""}
}

func config(t *testing.T, sim *cfsim.Server, id string) cfsim.GatewayConfig {
	t.Helper()
	c, ok := sim.GatewayConfig(id)
	if !ok {
		t.Fatalf("simulator has no gateway %q", id)
	}
	return c
}

// oneRequest runs call and checks it cost exactly one upstream request,
// which it returns.
func oneRequest(t *testing.T, e *simEnv, call func() error) cfsim.Request {
	t.Helper()
	before := e.sim.RequestCount()
	if err := call(); err != nil {
		t.Fatal(err)
	}
	reqs := e.sim.Requests()
	if len(reqs) != before+1 {
		t.Fatalf("%d upstream requests, want 1", len(reqs)-before)
	}
	return reqs[len(reqs)-1]
}

// TestSimListGatewaysWithoutResultInfo: as List Gateways' spec documents
// (and cfsim answers by default), pages come without result_info: HasInfo
// is false, the Info zero, and a short page ends the list.
func TestSimListGatewaysWithoutResultInfo(t *testing.T) {
	e := newSimEnvOpts(t, cfsim.Options{LogsPerGateway: 5, ExtraGateways: 150}, restclient.Options{})
	var got []string
	for page := 1; ; page++ {
		pg, err := e.c.ListGateways(context.Background(), e.creds, e.acct, restclient.ListGatewaysParams{Page: page, PerPage: restclient.MaxGatewaysPerPage})
		if err != nil {
			t.Fatal(err)
		}
		if pg.HasInfo || pg.Info != (restclient.ResultInfo{}) {
			t.Fatalf("page %d: HasInfo %v, info %+v", page, pg.HasInfo, pg.Info)
		}
		for _, g := range pg.Gateways {
			got = append(got, g.ID)
		}
		if len(pg.Gateways) < restclient.MaxGatewaysPerPage {
			break
		}
	}
	if !slices.Equal(got, e.sim.Gateways()) {
		t.Fatalf("walked %d gateways, want %d in order", len(got), len(e.sim.Gateways()))
	}
}

// TestSimListGateways pages with result_info (GatewaysWithResultInfo) and
// compares every gateway with the simulator's configuration.
func TestSimListGateways(t *testing.T) {
	e := newSimEnvOpts(t, cfsim.Options{LogsPerGateway: 5, ExtraGateways: 150, GatewaysWithResultInfo: true}, restclient.Options{})
	ctx := context.Background()
	all := e.sim.Gateways()

	var got []restclient.Gateway
	for page := 1; ; page++ {
		var pg *restclient.GatewayPage
		r := oneRequest(t, e, func() (err error) {
			pg, err = e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{Page: page, PerPage: restclient.MaxGatewaysPerPage})
			return err
		})
		if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, "/accounts/"+e.acct+"/ai-gateway/gateways") ||
			r.RawQuery != "page="+strconv.Itoa(page)+"&per_page=100" {
			t.Fatalf("request %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		if !pg.HasInfo || pg.Info.Page != page || pg.Info.PerPage != 100 || pg.Info.Count != len(pg.Gateways) || pg.Info.TotalCount != len(all) {
			t.Fatalf("page %d: HasInfo %v, info %+v, %d gateways", page, pg.HasInfo, pg.Info, len(pg.Gateways))
		}
		if pg.Gateways == nil {
			t.Fatal("Gateways is nil")
		}
		if len(pg.Gateways) == 0 {
			break
		}
		got = append(got, pg.Gateways...)
	}
	if len(got) != len(all) {
		t.Fatalf("walked %d gateways, want %d", len(got), len(all))
	}
	var dlp, guardrails int
	for i, g := range got {
		want := wantGateway(config(t, e.sim, all[i]))
		if !reflect.DeepEqual(g, want) {
			t.Fatalf("gateway %d:\n got %+v\nwant %+v", i, g, want)
		}
		if g.DLP != nil {
			dlp++
		}
		if g.Guardrails != nil {
			guardrails++
		}
	}
	if *got[0].IsDefault != true || *got[1].IsDefault {
		t.Error("is_default should mark the first gateway only")
	}
	if dlp == 0 || dlp == len(got) || guardrails == 0 || guardrails == len(got) {
		t.Errorf("dlp on %d, guardrails on %d of %d: the nil/non-nil cases go untested", dlp, guardrails, len(got))
	}

	// Defaults are left to the upstream; search narrows.
	r := oneRequest(t, e, func() error {
		pg, err := e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{})
		if err == nil && (len(pg.Gateways) != 20 || pg.Info.PerPage != 20) {
			t.Errorf("default page: %d gateways, %+v", len(pg.Gateways), pg.Info)
		}
		return err
	})
	if r.RawQuery != "" {
		t.Errorf("zero params sent %q", r.RawQuery)
	}
	pg, err := e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{Search: "gw-14"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range pg.Gateways {
		ids = append(ids, g.ID)
	}
	if !slices.Equal(ids, []string{"gw-140", "gw-141", "gw-142", "gw-143", "gw-144", "gw-145", "gw-146", "gw-147", "gw-148", "gw-149"}) {
		t.Errorf("search gw-14: %v", ids)
	}
}

func TestSimGetGateway(t *testing.T) {
	e := newSimEnv(t, 5, restclient.Options{})
	ctx := context.Background()
	for _, id := range e.sim.Gateways() {
		var g *restclient.Gateway
		r := oneRequest(t, e, func() (err error) {
			g, err = e.c.GetGateway(ctx, e.creds, e.acct, id)
			return err
		})
		if !strings.HasSuffix(r.Path, "/ai-gateway/gateways/"+id) || r.GatewayID != id {
			t.Errorf("request path %s", r.Path)
		}
		if want := wantGateway(config(t, e.sim, id)); !reflect.DeepEqual(*g, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", id, *g, want)
		}
	}
}

// logWithDetail picks an old log of the env's gateway (its response_head is
// filled in) whose response was streamed when stream is set.
func pickLog(t *testing.T, e *simEnv, stream bool) cfsim.Log {
	t.Helper()
	for _, l := range e.sim.Logs(e.gw) {
		if json.Valid([]byte(l.ResponseBody)) != stream {
			return l
		}
	}
	t.Fatalf("no log with stream=%v", stream)
	return cfsim.Log{}
}

func TestSimGetLog(t *testing.T) {
	e := newSimEnv(t, 300, restclient.Options{})
	ctx := context.Background()
	// The list answer is the reference for the list fields (its decoding is
	// tested against the simulator elsewhere).
	page := e.list(t, restclient.ListLogsParams{PerPage: 50})
	simLogs := map[string]cfsim.Log{}
	for _, l := range e.sim.Logs(e.gw) {
		simLogs[l.ID] = l
	}
	for _, l := range page.Logs {
		var d *restclient.LogDetail
		r := oneRequest(t, e, func() (err error) {
			d, err = e.c.GetLog(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if r.LogID != l.ID || r.Method != http.MethodGet {
			t.Fatalf("request %+v", r)
		}
		if !reflect.DeepEqual(d.Log, l) {
			t.Fatalf("detail list fields differ:\n got %+v\nwant %+v", d.Log, l)
		}
		s := simLogs[l.ID]
		if d.RequestHead == nil || *d.RequestHead != s.RequestHead || d.ResponseHead == nil || *d.ResponseHead != s.ResponseHead ||
			d.RequestHeadComplete == nil || *d.RequestHeadComplete != s.RequestHeadComplete ||
			d.ResponseHeadComplete == nil || *d.ResponseHeadComplete != s.ResponseHeadComplete ||
			d.RequestSize == nil || *d.RequestSize != s.RequestSize || d.ResponseSize == nil || *d.ResponseSize != s.ResponseSize {
			t.Fatalf("detail extras differ for %s: %+v", l.ID, d)
		}
	}
}

// A log younger than 3 seconds has a null response_head: nil, not "".
func TestSimGetLogFresh(t *testing.T) {
	e := newSimEnv(t, 10, restclient.Options{})
	fresh := e.sim.Append(e.gw, 1)[0]
	d, err := e.c.GetLog(context.Background(), e.creds, e.acct, e.gw, fresh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ResponseHead != nil || d.RequestHead == nil || *d.RequestHead != fresh.RequestHead {
		t.Fatalf("fresh log: response_head %v, request_head %v", d.ResponseHead, d.RequestHead)
	}
}

func TestSimLogBodies(t *testing.T) {
	e := newSimEnv(t, 300, restclient.Options{})
	ctx := context.Background()
	for _, stream := range []bool{false, true} {
		l := pickLog(t, e, stream)
		var req, resp json.RawMessage
		r := oneRequest(t, e, func() (err error) {
			req, err = e.c.GetLogRequestBody(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if !strings.HasSuffix(r.Path, "/logs/"+l.ID+"/request") {
			t.Errorf("path %s", r.Path)
		}
		if string(req) != l.RequestBody {
			t.Errorf("request body %s, stored %s", req, l.RequestBody)
		}
		var obj struct {
			Model    string `json:"model"`
			Messages []any  `json:"messages"`
		}
		if err := json.Unmarshal(req, &obj); err != nil || obj.Model != l.Model {
			t.Errorf("request body %s does not name the model %s", req, l.Model)
		}
		r = oneRequest(t, e, func() (err error) {
			resp, err = e.c.GetLogResponseBody(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if !strings.HasSuffix(r.Path, "/logs/"+l.ID+"/response") {
			t.Errorf("path %s", r.Path)
		}
		if !stream {
			if string(resp) != l.ResponseBody {
				t.Errorf("response body %s, stored %s", resp, l.ResponseBody)
			}
			continue
		}
		// A streamed body comes as a JSON string holding the text.
		var s string
		if err := json.Unmarshal(resp, &s); err != nil || s != l.ResponseBody {
			t.Errorf("streamed response %s, stored %q", resp, l.ResponseBody)
		}
	}
}

func TestSimUpdateLog(t *testing.T) {
	e := newSimEnv(t, 200, restclient.Options{})
	ctx := context.Background()
	l := e.sim.Logs(e.gw)[5]
	u := restclient.LogUpdate{
		Feedback: ptrTo(-0.5), Score: ptrTo(72.0),
		Metadata: map[string]any{"user": "u-7", "attempt": 2, "beta": true, "ratio": 0.25},
	}
	r := oneRequest(t, e, func() error { return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, u) })
	if r.Method != http.MethodPatch || r.LogID != l.ID || r.Status != 200 || !strings.HasSuffix(r.Path, "/logs/"+l.ID) {
		t.Fatalf("request %+v", r)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(r.Body), &sent); err != nil {
		t.Fatalf("body %q: %v", r.Body, err)
	}
	want := map[string]any{"feedback": -0.5, "score": 72.0,
		"metadata": map[string]any{"user": "u-7", "attempt": 2.0, "beta": true, "ratio": 0.25}}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("sent %s", r.Body)
	}

	// GET shows the change; the feedback filter finds it.
	d, err := e.c.GetLog(ctx, e.creds, e.acct, e.gw, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Metadata == nil || *d.Metadata != `{"attempt":2,"beta":true,"ratio":0.25,"user":"u-7"}` {
		t.Errorf("metadata after PATCH: %v", d.Metadata)
	}
	page := e.list(t, restclient.ListLogsParams{Filters: []restclient.Filter{{Key: restclient.KeyFeedback, Operator: restclient.OpEq, Values: []any{-0.5}}}})
	if len(page.Logs) != 1 || page.Logs[0].ID != l.ID {
		t.Errorf("feedback = -0.5 finds %d logs", len(page.Logs))
	}
	stored := e.sim.Logs(e.gw)[5]
	if stored.Score == nil || *stored.Score != 72 || stored.Feedback == nil || *stored.Feedback != -0.5 {
		t.Errorf("stored score %v feedback %v", stored.Score, stored.Feedback)
	}

	// Only what is set is sent; an empty Metadata map is sent as {}.
	r = oneRequest(t, e, func() error {
		return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, restclient.LogUpdate{Metadata: map[string]any{}})
	})
	if r.Body != `{"metadata":{}}` {
		t.Errorf("sent %s", r.Body)
	}
	r = oneRequest(t, e, func() error {
		return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, restclient.LogUpdate{Feedback: ptrTo(1.0)})
	})
	if r.Body != `{"feedback":1}` {
		t.Errorf("sent %s", r.Body)
	}
	stored = e.sim.Logs(e.gw)[5]
	if *stored.Feedback != 1 || *stored.Score != 72 || *stored.Metadata != `{}` {
		t.Errorf("stored after partial updates: %v %v %v", *stored.Feedback, *stored.Score, *stored.Metadata)
	}
}

func TestSimNeighbourErrors(t *testing.T) {
	opts := restclient.Options{MaxRetries: 2, MaxBackoff: time.Millisecond}
	ctx := context.Background()
	e := newSimEnv(t, 20, opts)
	id := e.sim.Logs(e.gw)[0].ID
	const unknownLog = "01NOTALOGID0000000000000000"
	up := restclient.LogUpdate{Score: ptrTo(1.0)}

	type call struct {
		name string
		f    func(e *simEnv, gw, log string) error
	}
	calls := []call{
		{"GetGateway", func(e *simEnv, gw, _ string) error { _, err := e.c.GetGateway(ctx, e.creds, e.acct, gw); return err }},
		{"GetLog", func(e *simEnv, gw, log string) error { _, err := e.c.GetLog(ctx, e.creds, e.acct, gw, log); return err }},
		{"GetLogRequestBody", func(e *simEnv, gw, log string) error {
			_, err := e.c.GetLogRequestBody(ctx, e.creds, e.acct, gw, log)
			return err
		}},
		{"GetLogResponseBody", func(e *simEnv, gw, log string) error {
			_, err := e.c.GetLogResponseBody(ctx, e.creds, e.acct, gw, log)
			return err
		}},
		{"UpdateLog", func(e *simEnv, gw, log string) error { return e.c.UpdateLog(ctx, e.creds, e.acct, gw, log, up) }},
	}
	check := func(t *testing.T, err error, is func(error) bool, status, code int) {
		t.Helper()
		ae, ok := restclient.AsError(err)
		if !is(err) || !ok || ae.StatusCode != status || len(ae.Errors) == 0 || ae.Errors[0].Code != code {
			t.Errorf("err = %v, want HTTP %d code %d", err, status, code)
		}
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			e.sim.ResetRequests()
			check(t, c.f(e, "no-such-gateway", id), restclient.IsNotFound, 404, 7002)
			if c.name != "GetGateway" {
				check(t, c.f(e, e.gw, unknownLog), restclient.IsNotFound, 404, 7002)
				check(t, c.f(e, "prod-chat", id), restclient.IsNotFound, 404, 7002) // the log is in another gateway
			}
			bad := *e
			bad.creds = restclient.Credentials{Token: "not-a-valid-token"}
			check(t, c.f(&bad, e.gw, id), restclient.IsAuth, 401, 10000)
			for _, r := range e.sim.Requests() {
				if r.Status != 404 && r.Status != 401 {
					t.Errorf("unexpected status %d", r.Status)
				}
			}
			if n, want := e.sim.RequestCount(), map[bool]int{true: 2, false: 4}[c.name == "GetGateway"]; n != want {
				t.Errorf("%d requests, want %d: 4xx are not retried", n, want)
			}
		})
	}
	t.Run("ListGateways 401", func(t *testing.T) {
		_, err := e.c.ListGateways(ctx, restclient.Credentials{Token: "nope"}, e.acct, restclient.ListGatewaysParams{})
		check(t, err, restclient.IsAuth, 401, 10000)
	})
	t.Run("GET retried on 500", func(t *testing.T) {
		e.sim.ResetRequests()
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1})
		if _, err := e.c.GetLogRequestBody(ctx, e.creds, e.acct, e.gw, id); err != nil || e.sim.RequestCount() != 2 {
			t.Fatalf("err %v after %d requests, want success on the retry", err, e.sim.RequestCount())
		}
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1})
		if _, err := e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{}); err != nil || e.sim.RequestCount() != 4 {
			t.Fatalf("err %v after %d requests", err, e.sim.RequestCount())
		}
	})
	t.Run("PATCH not retried on 500", func(t *testing.T) {
		e.sim.ResetRequests()
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 5})
		err := e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, up)
		if !restclient.IsServer(err) {
			t.Fatalf("err = %v, want a 500", err)
		}
		if n := e.sim.RequestCount(); n != 1 {
			t.Fatalf("%d requests, want 1: PATCH must not be retried", n)
		}
		e.sim.ClearFaults()
		if l := e.sim.Logs(e.gw)[0]; l.Score != nil {
			t.Error("the failed PATCH was applied")
		}
	})
	t.Run("PATCH not retried on a dropped connection", func(t *testing.T) {
		e.sim.ResetRequests()
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultDropConnection, Times: 5})
		if err := e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, up); err == nil {
			t.Fatal("want a transport error")
		}
		e.sim.ClearFaults()
		// cfsim records a dropped request when its handler returns, which
		// can be just after the client saw the connection close. UpdateLog
		// has returned, so no retry can still come: wait for the record.
		for deadline := time.Now().Add(2 * time.Second); e.sim.RequestCount() == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if n := e.sim.RequestCount(); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
	t.Run("truncated body is ErrMalformedResponse", func(t *testing.T) {
		for _, f := range calls[:4] {
			e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultMalformedJSON})
			if err := f.f(e, e.gw, id); !errors.Is(err, restclient.ErrMalformedResponse) {
				t.Errorf("%s: err = %v", f.name, err)
			}
		}
	})
}

func TestNeighbourValidationSendsNothing(t *testing.T) {
	e := newSimEnv(t, 5, restclient.Options{})
	ctx := context.Background()
	id := e.sim.Logs(e.gw)[0].ID
	bad := []struct {
		name string
		f    func() error
	}{
		{"feedback 2", func() error {
			return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, restclient.LogUpdate{Feedback: ptrTo(2.0)})
		}},
		{"score -1", func() error {
			return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, restclient.LogUpdate{Score: ptrTo(-1.0)})
		}},
		{"metadata object value", func() error {
			return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, restclient.LogUpdate{Metadata: map[string]any{"a": map[string]any{"b": 1}}})
		}},
		{"metadata nil value", func() error {
			return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, restclient.LogUpdate{Metadata: map[string]any{"a": nil}})
		}},
		{"empty update", func() error { return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, id, restclient.LogUpdate{}) }},
		{"list per_page 101", func() error {
			_, err := e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{PerPage: 101})
			return err
		}},
		{"list page -1", func() error {
			_, err := e.c.ListGateways(ctx, e.creds, e.acct, restclient.ListGatewaysParams{Page: -1})
			return err
		}},
		{"list bad account", func() error {
			_, err := e.c.ListGateways(ctx, e.creds, "a/b", restclient.ListGatewaysParams{})
			return err
		}},
		{"gateway ..", func() error { _, err := e.c.GetGateway(ctx, e.creds, e.acct, ".."); return err }},
	}
	for _, logID := range []string{"", "a/b", "..", "x?y", "x#y", "a b", "é", "id.1", strings.Repeat("a", 129)} {
		bad = append(bad,
			struct {
				name string
				f    func() error
			}{"GetLog " + logID, func() error { _, err := e.c.GetLog(ctx, e.creds, e.acct, e.gw, logID); return err }},
			struct {
				name string
				f    func() error
			}{"GetLogRequestBody " + logID, func() error {
				_, err := e.c.GetLogRequestBody(ctx, e.creds, e.acct, e.gw, logID)
				return err
			}},
			struct {
				name string
				f    func() error
			}{"GetLogResponseBody " + logID, func() error {
				_, err := e.c.GetLogResponseBody(ctx, e.creds, e.acct, e.gw, logID)
				return err
			}},
			struct {
				name string
				f    func() error
			}{"UpdateLog " + logID, func() error {
				return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, logID, restclient.LogUpdate{Score: ptrTo(1.0)})
			}})
	}
	for _, b := range bad {
		if err := b.f(); !restclient.IsInvalidInput(err) {
			t.Errorf("%s: err = %v, want *InvalidInputError", b.name, err)
		}
	}
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream requests, want none", n)
	}
	// The longest valid log id is sent (and is simply unknown upstream).
	if _, err := e.c.GetLog(ctx, e.creds, e.acct, e.gw, strings.Repeat("a", 128)); !restclient.IsNotFound(err) {
		t.Errorf("128-character id: %v", err)
	}
}

func ptrTo[T any](v T) *T { return &v }
