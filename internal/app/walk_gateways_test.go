package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// TestMaxWalkGateways: the service built with -max-walk-gateways merges at
// most that many gateways in one walk, named or the account's, and refuses
// more with BAD_USER_INPUT before any log is listed.
func TestMaxWalkGateways(t *testing.T) {
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 40}) // three gateways
	upstream := httptest.NewServer(sim)
	t.Cleanup(upstream.Close)
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = upstream.URL+"/client/v4", sim.AccountID(), cfsim.DemoToken
	cfg.MaxWalkGateways = 2
	service, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { service.Close() })
	srv := httptest.NewServer(service.Handler())
	t.Cleanup(srv.Close)

	post := func(query string) (total int, errs []struct {
		Message    string
		Extensions struct{ Code string }
	}) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"query": query})
		res, err := http.Post(srv.URL+"/query", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			Data struct {
				Account *struct{ Logs *struct{ TotalCount int } }
			}
			Errors []struct {
				Message    string
				Extensions struct{ Code string }
			}
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if out.Data.Account != nil && out.Data.Account.Logs != nil {
			total = out.Data.Account.Logs.TotalCount
		}
		return total, out.Errors
	}

	if total, errs := post(`{ account { logs(gatewayIds: ["prod-chat", "staging"]) { totalCount } } }`); len(errs) > 0 || total != 80 {
		t.Fatalf("two gateways: total %d, errors %+v", total, errs)
	}
	sim.ResetRequests()
	for _, q := range []string{
		`{ account { logs(gatewayIds: ["prod-chat", "staging", "batch-jobs"]) { totalCount } } }`,
		`{ account { logs { totalCount } } }`,
	} {
		_, errs := post(q)
		if len(errs) != 1 || errs[0].Extensions.Code != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "2 gateways") {
			t.Fatalf("%s: errors %+v, want BAD_USER_INPUT naming the limit", q, errs)
		}
	}
	for _, r := range sim.Requests() {
		if r.GatewayID != "" {
			t.Fatalf("a refused walk listed logs: %s %s", r.Path, r.RawQuery)
		}
	}
}

func TestMaxWalkGatewaysIsChecked(t *testing.T) {
	for _, n := range []int{0, 100} {
		cfg := app.Defaults()
		cfg.MaxWalkGateways = n
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "max-walk-gateways (MAX_WALK_GATEWAYS)") {
			t.Fatalf("%d: %v", n, err)
		}
	}
}
