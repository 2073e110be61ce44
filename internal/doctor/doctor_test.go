package doctor

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
)

// testNow fixes the simulator's data and the doctor's snapshot.
var testNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// token is the credential the doctor is given: no output may show it.
const token = "tok-doctor-7f3a9c2e51d04b88"

// upstream is a simulator on a loopback listener.
func upstream(t *testing.T, opts cfsim.Options) (*cfsim.Server, string) {
	t.Helper()
	opts.Now = fixedNow
	opts.Tokens = append(opts.Tokens, token)
	if opts.LogsPerGateway == 0 {
		opts.LogsPerGateway = 300
	}
	sim := cfsim.New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return sim, ts.URL + "/client/v4"
}

// doctor runs the doctor against sim on gateway gw ("" lets it pick) and
// returns its report and output.
func doctor(t *testing.T, sim *cfsim.Server, base, gw string) (Report, string) {
	t.Helper()
	var out bytes.Buffer
	rep, err := Run(context.Background(), Config{
		BaseURL: base, AccountID: sim.AccountID(), Token: token, GatewayID: gw, Now: fixedNow,
	}, &out)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if strings.Contains(out.String(), token) {
		t.Fatalf("the output shows the token:\n%s", out.String())
	}
	return rep, out.String()
}

func ids(rep Report, st Status) []string {
	var out []string
	for _, r := range rep.Results {
		if r.Status == st {
			out = append(out, r.ID)
		}
	}
	return out
}

var allChecks = []string{
	CheckListing, CheckImpossibleID, CheckProviderEq, CheckEqAnyOf, CheckCreatedAtMillis,
	CheckOrderBy, CheckPerPage, CheckMetaInfo, CheckMissingGateway, CheckWrongAccount, CheckMissingCredential,
}

// TestEveryAssumptionHoldsAgainstTheSimulator: cfsim follows the contract,
// so the doctor prints one "holds" line per assumption, exits 0, and stays
// within its call budget — counted by the simulator, not by the doctor.
func TestEveryAssumptionHoldsAgainstTheSimulator(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{})
	rep, out := doctor(t, sim, base, "prod-chat")
	t.Logf("\n%s", out)
	if got := ids(rep, Holds); !slices.Equal(got, allChecks) {
		t.Errorf("holding: %v\nwant every check: %v\n%s", got, allChecks, out)
	}
	if rep.ExitCode() != 0 {
		t.Errorf("exit code %d", rep.ExitCode())
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(allChecks)+2 { // a heading, one per assumption, a summary
		t.Errorf("%d lines, want %d:\n%s", len(lines), len(allChecks)+2, out)
	}
	for _, r := range rep.Results {
		if !strings.Contains(out, "holds   "+r.Assumption+" (") {
			t.Errorf("no line for %q saying what came back:\n%s", r.Assumption, out)
		}
	}
	if n := sim.RequestCount(); n != rep.Calls || n > MaxCalls {
		t.Errorf("the simulator saw %d calls, the doctor counted %d; at most %d allowed", n, rep.Calls, MaxCalls)
	}
	for _, req := range sim.Requests() {
		if req.Method != http.MethodGet {
			t.Errorf("%s %s: the doctor only reads", req.Method, req.Path)
		}
	}
}

// TestEachQuirkIsReported: against a simulator that breaks one assumption,
// exactly that assumption is reported broken (IgnoreFilters breaks every
// filter at once), the others still hold, and the exit code is 1.
func TestEachQuirkIsReported(t *testing.T) {
	cases := []struct {
		name   string
		opts   cfsim.Options
		broken []string
	}{
		{"IgnoreFilters", cfsim.Options{IgnoreFilters: true}, []string{CheckImpossibleID, CheckProviderEq, CheckEqAnyOf, CheckCreatedAtMillis}},
		{"IgnoreKey provider", cfsim.Options{Quirks: cfsim.Quirks{IgnoreKey: "provider"}}, []string{CheckProviderEq}},
		{"EqAllOf", cfsim.Options{Quirks: cfsim.Quirks{EqAllOf: true}}, []string{CheckEqAnyOf}},
		{"CreatedAtSeconds", cfsim.Options{Quirks: cfsim.Quirks{CreatedAtSeconds: true}}, []string{CheckCreatedAtMillis}},
		{"RejectOrderBy", cfsim.Options{Quirks: cfsim.Quirks{RejectOrderBy: "model_type"}}, []string{CheckOrderBy}},
		{"ClampPerPage", cfsim.Options{Quirks: cfsim.Quirks{ClampPerPage: true}}, []string{CheckPerPage}},
		{"NoMetaInfo", cfsim.Options{Quirks: cfsim.Quirks{NoMetaInfo: true}}, []string{CheckMetaInfo}},
		{"MissingGatewayEmpty", cfsim.Options{Quirks: cfsim.Quirks{MissingGatewayEmpty: true}}, []string{CheckMissingGateway}},
		{"WrongAccountNotFound", cfsim.Options{Quirks: cfsim.Quirks{WrongAccountNotFound: true}}, []string{CheckWrongAccount}},
		{"MissingCredentialForbidden", cfsim.Options{Quirks: cfsim.Quirks{MissingCredentialForbidden: true}}, []string{CheckMissingCredential}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim, base := upstream(t, tc.opts)
			rep, out := doctor(t, sim, base, "prod-chat")
			t.Logf("\n%s", out)
			if got := ids(rep, Broken); !slices.Equal(got, tc.broken) {
				t.Errorf("broken: %v, want %v\n%s", got, tc.broken, out)
			}
			if got := ids(rep, Unknown); len(got) > 0 {
				t.Errorf("unknown: %v\n%s", got, out)
			}
			if rep.ExitCode() != 1 {
				t.Errorf("exit code %d, want 1", rep.ExitCode())
			}
			for _, id := range tc.broken {
				line := lineOf(t, rep, out, id)
				if !strings.HasPrefix(line, "broken  ") || !strings.Contains(line, "(") {
					t.Errorf("line %q does not say broken and what came back", line)
				}
			}
			if n := sim.RequestCount(); n > MaxCalls {
				t.Errorf("%d calls", n)
			}
		})
	}
}

func lineOf(t *testing.T, rep Report, out, id string) string {
	t.Helper()
	for _, r := range rep.Results {
		if r.ID == id {
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, r.Assumption) {
					return l
				}
			}
		}
	}
	t.Fatalf("no line for %s:\n%s", id, out)
	return ""
}

// TestThinDataIsUnknownNotHolds: a gateway without logs cannot show
// whether filters apply; the doctor says so rather than "holds", and the
// exit code is 1. The error shapes are still checked.
func TestThinDataIsUnknownNotHolds(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{ExtraGateways: 1})
	rep, out := doctor(t, sim, base, "gw-001")
	t.Logf("\n%s", out)
	want := []string{CheckProviderEq, CheckEqAnyOf, CheckCreatedAtMillis, CheckMetaInfo}
	if got := ids(rep, Unknown); !slices.Equal(got, want) {
		t.Errorf("unknown: %v, want %v", got, want)
	}
	if got := ids(rep, Broken); len(got) > 0 {
		t.Errorf("broken: %v", got)
	}
	if rep.ExitCode() != 1 {
		t.Errorf("exit code %d, want 1", rep.ExitCode())
	}
	if !strings.Contains(lineOf(t, rep, out, CheckProviderEq), "-gateway") {
		t.Errorf("the line does not say how to check a busier gateway")
	}
}

// TestARefusedTokenStopsTheDataChecks: when listing fails (here the token
// is unknown), the line says what came back and the checks that need its
// page make no call.
func TestARefusedTokenStopsTheDataChecks(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{})
	var out bytes.Buffer
	rep, err := Run(context.Background(), Config{BaseURL: base, AccountID: sim.AccountID(), Token: "not-a-known-token", GatewayID: "prod-chat", Now: fixedNow}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	line := lineOf(t, rep, out.String(), CheckListing)
	if !strings.HasPrefix(line, "broken  ") || !strings.Contains(line, "HTTP 401, code 10000") {
		t.Errorf("listing line %q", line)
	}
	if strings.Contains(out.String(), "not-a-known-token") {
		t.Error("the output shows the token")
	}
	if rep.ExitCode() != 1 {
		t.Errorf("exit code %d", rep.ExitCode())
	}
	for _, r := range rep.Results {
		if r.ID != CheckListing && r.ID != CheckMissingCredential && r.Status != Unknown {
			t.Errorf("%s: %v, want unknown", r.ID, r)
		}
	}
	// the listing, and the call that sends no credential on purpose
	if n := sim.RequestCount(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

// TestWithoutAGatewayTheFirstIsChecked: the gateway lookup counts in the
// budget too.
func TestWithoutAGatewayTheFirstIsChecked(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{})
	rep, out := doctor(t, sim, base, "")
	if rep.Gateway != "prod-chat" || rep.ExitCode() != 0 {
		t.Errorf("gateway %q, exit %d:\n%s", rep.Gateway, rep.ExitCode(), out)
	}
	if n := sim.RequestCount(); n != rep.Calls || n > MaxCalls {
		t.Errorf("%d calls (counted %d)", n, rep.Calls)
	}
}

// TestTheBudgetRefusesTheCallPastIt: past MaxCalls, no request leaves.
func TestTheBudgetRefusesTheCallPastIt(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{})
	r, err := newRun(Config{BaseURL: base, AccountID: sim.AccountID(), Token: token, GatewayID: "prod-chat", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if res := r.checkListing(context.Background()); res.Status != Holds {
		t.Fatal(res)
	}
	for range MaxCalls {
		r.checkOrderBy(context.Background()) // 5 calls each
	}
	if n := sim.RequestCount(); n != MaxCalls {
		t.Errorf("the simulator saw %d calls, want %d", n, MaxCalls)
	}
	if res := r.checkOrderBy(context.Background()); res.Status != Unknown || !strings.Contains(res.Detail, "at most 20 calls") {
		t.Errorf("past the budget: %v", res)
	}
}

// TestBadConfigIsRefusedBeforeAnyCall.
func TestBadConfigIsRefusedBeforeAnyCall(t *testing.T) {
	sim, base := upstream(t, cfsim.Options{})
	for _, cfg := range []Config{
		{BaseURL: base, AccountID: sim.AccountID()},
		{BaseURL: base, Token: token},
		{BaseURL: base, AccountID: "not/an/account", Token: token},
		{BaseURL: base, AccountID: sim.AccountID(), Token: token, GatewayID: "../x"},
		{BaseURL: "ftp://example.com", AccountID: sim.AccountID(), Token: token},
	} {
		if _, err := Run(context.Background(), cfg, &bytes.Buffer{}); err == nil {
			t.Errorf("%+v: no error", Config{BaseURL: cfg.BaseURL, AccountID: cfg.AccountID, GatewayID: cfg.GatewayID})
		}
	}
	if n := sim.RequestCount(); n != 0 {
		t.Errorf("%d calls", n)
	}
}
