package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aigw/gqlfacade/cfsim"
)

const q1 = `{ logs(gatewayId: "prod-chat", first: 1) { nodes { logId } } }`

// TestCallerBearerIsForwarded: the caller's token goes upstream, not the
// server's.
func TestCallerBearerIsForwarded(t *testing.T) {
	e := newEnv(t, withSimTokens("caller-token"))
	e.sim.ResetRequests()
	e.mustDo(q1, nil, nil, bearer("caller-token"))
	reqs := e.sim.Requests()
	if len(reqs) != 1 || reqs[0].Authorization != "Bearer caller-token" {
		t.Fatalf("upstream saw %+v", reqs)
	}
}

// TestLegacyKeyPairIsForwarded: X-Auth-Email + X-Auth-Key go upstream as is.
func TestLegacyKeyPairIsForwarded(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsim.Options) {
		o.AuthKeys = map[string]string{"ops@example.com": "legacy-key"}
	})
	e.sim.ResetRequests()
	e.mustDo(q1, nil, nil, client.AddHeader("X-Auth-Email", "ops@example.com"), client.AddHeader("X-Auth-Key", "legacy-key"))
	reqs := e.sim.Requests()
	if len(reqs) != 1 || reqs[0].AuthEmail != "ops@example.com" || reqs[0].AuthKey != "legacy-key" || reqs[0].Authorization != "" {
		t.Fatalf("upstream saw %+v", reqs)
	}
}

// TestServerTokenOnlyWithoutCallerCredential.
func TestServerTokenOnlyWithoutCallerCredential(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetRequests()
	e.mustDo(q1, nil, nil)
	if reqs := e.sim.Requests(); len(reqs) != 1 || reqs[0].Authorization != "Bearer "+cfsim.DemoToken {
		t.Fatalf("upstream saw %+v", reqs)
	}
}

// TestNoCredentialIsRefusedWithoutACall.
func TestNoCredentialIsRefusedWithoutACall(t *testing.T) {
	e := newEnv(t, withoutServerToken())
	e.sim.ResetRequests()
	expectCode(t, e.do(q1, nil, nil), "UNAUTHENTICATED")
	expectCode(t, e.do(q1, nil, nil, client.AddHeader("Authorization", "Basic abc")), "UNAUTHENTICATED")
	expectCode(t, e.do(q1, nil, nil, client.AddHeader("X-Auth-Email", "a@b.c")), "UNAUTHENTICATED")
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls without a credential, want 0", n)
	}
}

// TestEmptyCredentialHeaderIsRefused: a credential header sent empty is
// refused with UNAUTHENTICATED before any upstream call, even though the
// server has a token of its own to fall back on.
func TestEmptyCredentialHeaderIsRefused(t *testing.T) {
	e := newEnv(t) // with a server token
	for _, opts := range [][]client.Option{
		{client.AddHeader("Authorization", "")},
		{client.AddHeader("X-Auth-Email", ""), client.AddHeader("X-Auth-Key", "")},
		{client.AddHeader("X-Auth-Email", "ops@example.com"), client.AddHeader("X-Auth-Key", "")},
		{client.AddHeader("X-Auth-Key", " ")},
	} {
		e.sim.ResetRequests()
		expectCode(t, e.do(q1, nil, nil, opts...), "UNAUTHENTICATED")
		if n := e.sim.RequestCount(); n != 0 {
			t.Fatalf("%d upstream calls with an empty credential header, want 0", n)
		}
	}
	e.mustDo(q1, nil, nil) // no header at all: the server's token
}
