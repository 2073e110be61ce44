package restclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestSimNeighbourErrors: how the neighbouring endpoints fail. 4xx are not
// retried, GETs are retried on 5xx and PATCH never is.
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
		recorded, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := e.sim.AwaitRequests(recorded, 1); err != nil {
			t.Fatalf("the dropped request was never recorded: %v", err)
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
