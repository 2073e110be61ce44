package restclient_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestNeighbourValidationSendsNothing: what the client can tell is invalid
// (out-of-range values, ids that are not path segments) fails before any
// request is sent.
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
