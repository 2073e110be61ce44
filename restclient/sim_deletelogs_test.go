package restclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestSimDeleteLogs: DeleteLogs sends every parameter (filters in their
// JSON form, limit, order) in one DELETE and the simulator deletes exactly
// what they select.
func TestSimDeleteLogs(t *testing.T) {
	e := newSimEnv(t, 200, restclient.Options{})
	ctx := context.Background()
	before := e.sim.Logs(e.gw)
	model := before[0].Model
	var want []string
	for _, l := range before {
		if l.Model != model {
			want = append(want, l.ID)
		}
	}
	r := oneRequest(t, e, func() error {
		return e.c.DeleteLogs(ctx, e.creds, e.acct, e.gw, restclient.DeleteLogsParams{
			Filters: []restclient.Filter{{Key: restclient.KeyModel, Operator: restclient.OpEq, Values: []any{model}}},
			Limit:   restclient.MaxDeleteLogs, OrderBy: restclient.OrderByCost, Direction: restclient.Desc,
		})
	})
	q, _ := url.ParseQuery(r.RawQuery)
	if r.Method != http.MethodDelete || q.Get("limit") != "10000" || q.Get("order_by") != "cost" || q.Get("order_by_direction") != "desc" ||
		q.Get("filters") != `[{"key":"model","operator":"eq","value":["`+model+`"]}]` {
		t.Fatalf("sent %s ?%s", r.Method, r.RawQuery)
	}
	var got []string
	for _, l := range e.sim.Logs(e.gw) {
		got = append(got, l.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%d logs left, want the %d of other models", len(got), len(want))
	}

	// All, and only All, deletes without filters.
	oneRequest(t, e, func() error {
		return e.c.DeleteLogs(ctx, e.creds, e.acct, e.gw, restclient.DeleteLogsParams{All: true, Limit: 3, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Asc})
	})
	if n := len(e.sim.Logs(e.gw)); n != len(want)-3 {
		t.Fatalf("%d left, want %d", n, len(want)-3)
	}
}

// TestDeleteLogsValidationSendsNothing: no filters without All, filters
// with All, a limit outside 1–10000 or an unknown order is refused before
// any request.
func TestDeleteLogsValidationSendsNothing(t *testing.T) {
	e := newSimEnv(t, 5, restclient.Options{})
	f := []restclient.Filter{{Key: restclient.KeyProvider, Operator: restclient.OpEq, Values: []any{"openai"}}}
	ok := restclient.DeleteLogsParams{Filters: f, Limit: 1, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Asc}
	for name, p := range map[string]restclient.DeleteLogsParams{
		"no filters without All": {Limit: 1, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Asc},
		"filters with All":       func() restclient.DeleteLogsParams { p := ok; p.All = true; return p }(),
		"limit 0":                func() restclient.DeleteLogsParams { p := ok; p.Limit = 0; return p }(),
		"limit 10001":            func() restclient.DeleteLogsParams { p := ok; p.Limit = 10001; return p }(),
		"order path":             func() restclient.DeleteLogsParams { p := ok; p.OrderBy = "path"; return p }(),
		"no direction":           func() restclient.DeleteLogsParams { p := ok; p.Direction = ""; return p }(),
		"null with lt": func() restclient.DeleteLogsParams {
			p := ok
			p.Filters = []restclient.Filter{{Key: restclient.KeyCost, Operator: restclient.OpLt, Values: []any{nil}}}
			return p
		}(),
	} {
		err := e.c.DeleteLogs(context.Background(), e.creds, e.acct, e.gw, p)
		var inv *restclient.InvalidInputError
		if !errors.As(err, &inv) {
			t.Errorf("%s: err = %v, want an InvalidInputError", name, err)
		}
	}
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d requests for refused deletes", n)
	}
}

// TestDeleteLogsNeverRetried: a DELETE that failed is not sent again — it
// may have been applied, and again would delete the next logs in line.
func TestDeleteLogsNeverRetried(t *testing.T) {
	e := newSimEnv(t, 20, restclient.Options{})
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: 503, Times: 5})
	err := e.c.DeleteLogs(context.Background(), e.creds, e.acct, e.gw, restclient.DeleteLogsParams{All: true, Limit: 1, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Asc})
	if !restclient.IsServer(err) {
		t.Fatalf("err = %v, want a 503", err)
	}
	if n := e.sim.RequestCount(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	e.sim.ClearFaults()
	if n := len(e.sim.Logs(e.gw)); n != 20 {
		t.Fatalf("%d logs left", n)
	}
}
