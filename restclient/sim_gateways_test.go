package restclient_test

import (
	"context"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// List Gateways and Get Gateway, round-tripped through cfsim: every field
// of every gateway is what the simulator holds.

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
