package restclient_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

// The sim_*_test.go files are round trips: restclient on one side, cfsim on
// a real loopback listener on the other, and the expected answer computed
// independently in the test (sim_oracle_test.go) from sim.Logs.

// simNow is a fixed clock, so the generated data (and hence the values the
// tests pick to filter on) are the same on every run.
var simNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

const (
	// simGateway is one of cfsim's default gateways. Its profile mixes
	// authenticated and unauthenticated logs (with the default seed, the
	// other two gateways have authentication always false), so an
	// authentication filter narrows.
	simGateway = "staging"
	// simLogs is deliberately not a multiple of 50: the last page of the
	// unfiltered set is a partial one.
	simLogs = 777
)

// simEnv is one simulated upstream plus a client pointed at it.
type simEnv struct {
	sim   *cfsim.Server
	c     *restclient.Client
	creds restclient.Credentials
	acct  string
	gw    string
}

// newSimEnv starts cfsim with logs per gateway on a loopback listener.
// opts configure the client (BaseURL and HTTPClient are filled in here).
func newSimEnv(t *testing.T, logs int, opts restclient.Options) *simEnv {
	t.Helper()
	return newSimEnvOpts(t, cfsim.Options{LogsPerGateway: logs}, opts)
}

// newSimEnvOpts is newSimEnv with simulator options of the test's choosing;
// the clock is simNow unless they set one.
func newSimEnvOpts(t *testing.T, so cfsim.Options, opts restclient.Options) *simEnv {
	t.Helper()
	if so.Now == nil {
		so.Now = func() time.Time { return simNow }
	}
	sim, base := testenv.Upstream(t, so)
	return &simEnv{sim: sim, c: testenv.Client(t, base, opts), creds: restclient.Credentials{Token: cfsim.DemoToken},
		acct: sim.AccountID(), gw: simGateway}
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

// list makes one ListLogs call that must succeed, and checks that it cost
// exactly one upstream request carrying the filters in the one form the live
// API honours (see checkFiltersOnWire).
func (e *simEnv) list(t *testing.T, p restclient.ListLogsParams) *restclient.LogPage {
	t.Helper()
	before := e.sim.RequestCount()
	page, err := e.c.ListLogs(context.Background(), e.creds, e.acct, e.gw, p)
	if err != nil {
		t.Fatalf("ListLogs(%+v): %v", p, err)
	}
	reqs := e.sim.Requests()
	if len(reqs) != before+1 {
		t.Fatalf("ListLogs made %d upstream requests, want exactly 1", len(reqs)-before)
	}
	checkFiltersOnWire(t, reqs[len(reqs)-1], p.Filters)
	return page
}

// checkFiltersOnWire asserts that the filters travelled as ONE `filters`
// query parameter holding a JSON array (docs/upstream.md: the SDKs' dotted form is
// silently ignored upstream, which would make every filter a no-op), and that
// the simulator parsed back exactly the filters that were sent.
func checkFiltersOnWire(t *testing.T, r cfsim.Request, sent []restclient.Filter) {
	t.Helper()
	for name := range r.Query {
		if name != "filters" && strings.HasPrefix(name, "filters") {
			t.Errorf("query has parameter %q: filters must not be sent in dotted/bracketed form", name)
		}
	}
	raw := r.Query["filters"]
	if len(sent) == 0 {
		if len(raw) != 0 {
			t.Errorf("no filters given but the query has filters=%q", raw)
		}
		return
	}
	if len(raw) != 1 {
		t.Fatalf("query has %d filters parameters, want exactly 1 (raw query %q)", len(raw), r.RawQuery)
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(raw[0]), &items); err != nil {
		t.Fatalf("filters=%q is not a JSON array: %v", raw[0], err)
	}
	if len(r.Filters) != len(sent) {
		t.Fatalf("simulator parsed %d filters from %q, want %d", len(r.Filters), raw[0], len(sent))
	}
	for i, f := range sent {
		got := r.Filters[i]
		gotVals, _ := json.Marshal(got.Value)
		sentVals, _ := json.Marshal(f.Values)
		if got.Key != string(f.Key) || got.Operator != string(f.Operator) || string(gotVals) != string(sentVals) {
			t.Errorf("filters[%d] arrived as %+v, sent %+v", i, got, f)
		}
	}
}

// listAll walks every page with per_page 50 and returns the ids in answer
// order and the total_count, checking each page's result_info on the way.
func (e *simEnv) listAll(t *testing.T, p restclient.ListLogsParams) (ids []string, total int) {
	t.Helper()
	p.PerPage = restclient.MaxPerPage
	for page := 1; ; page++ {
		p.Page = page
		pg := e.list(t, p)
		in := pg.Info
		if page == 1 {
			total = in.TotalCount
		}
		if in.Page != page || in.PerPage != p.PerPage || in.Count != len(pg.Logs) || in.TotalCount != total {
			t.Fatalf("page %d: result_info %+v with %d logs (total on page 1: %d)", page, in, len(pg.Logs), total)
		}
		for _, l := range pg.Logs {
			ids = append(ids, l.ID)
		}
		if len(ids) >= total || len(pg.Logs) == 0 {
			break
		}
	}
	if len(ids) != total {
		t.Fatalf("walked %d logs, total_count says %d", len(ids), total)
	}
	return ids, total
}
