package restclient_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestOverlongURLIsNeverSent: a call whose URL would pass MaxURLBytes is an
// invalid input, and nothing reaches the upstream.
func TestOverlongURLIsNeverSent(t *testing.T) {
	env := newSimEnv(t, 10, restclient.Options{})
	p := restclient.ListLogsParams{Search: strings.Repeat("s", restclient.MaxURLBytes)}
	_, err := env.c.ListLogs(context.Background(), env.creds, env.acct, env.gw, p)
	if !restclient.IsInvalidInput(err) || !strings.Contains(err.Error(), "8192") {
		t.Fatalf("err %v, want an invalid input naming the limit", err)
	}
	_, err = env.c.ListGateways(context.Background(), env.creds, env.acct, restclient.ListGatewaysParams{Search: p.Search})
	if !restclient.IsInvalidInput(err) {
		t.Fatalf("ListGateways: err %v, want an invalid input", err)
	}
	if n := env.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
	p.Search = strings.Repeat("s", 1000)
	if _, err := env.c.ListLogs(context.Background(), env.creds, env.acct, env.gw, p); err != nil {
		t.Fatalf("a short URL: %v", err)
	}
}
