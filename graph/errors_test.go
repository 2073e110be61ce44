package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/aigw/gqlfacade/cfsim"
)

func bearer(token string) client.Option { return client.AddHeader("Authorization", "Bearer "+token) }

// TestUpstreamErrorClasses: every class of upstream failure becomes its
// extensions.code, with extensions.upstream telling what Cloudflare said.
func TestUpstreamErrorClasses(t *testing.T) {
	cases := []struct {
		name       string
		setup      func(e *env)
		query      string
		opts       []client.Option
		code       string
		status     int
		upstreamCd float64
	}{
		{"unknown gateway", nil, `{ logs(gatewayId: "no-such-gateway") { totalCount } }`, nil, "NOT_FOUND", 404, 7002},
		{"refused token", nil, `{ logs(gatewayId: "prod-chat") { totalCount } }`, []client.Option{bearer("wrong-token")}, "UNAUTHENTICATED", 401, 10000},
		{"account Cloudflare cannot route to", nil, `{ logs(gatewayId: "prod-chat", accountId: "ffffffffffffffffffffffffffffffff") { totalCount } }`, nil, "NOT_FOUND", 404, 7003},
		{"rate limited past the retry budget", func(e *env) {
			e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 300, Times: 10})
		}, `{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, "RATE_LIMITED", 429, 971},
		{"server errors past the retries", func(e *env) {
			e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: 502, Times: 10})
		}, `{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, "UPSTREAM_ERROR", 502, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			errs := e.do(tc.query, nil, nil, tc.opts...)
			expectCode(t, errs, tc.code)
			up, _ := errs[0].Extensions["upstream"].(map[string]any)
			if up == nil || up["status"] != float64(tc.status) {
				t.Fatalf("extensions.upstream = %v, want status %d", errs[0].Extensions["upstream"], tc.status)
			}
			if tc.upstreamCd != 0 {
				details, _ := up["errors"].([]any)
				if len(details) == 0 || details[0].(map[string]any)["code"] != tc.upstreamCd {
					t.Fatalf("upstream errors %v, want code %v", up["errors"], tc.upstreamCd)
				}
			}
			if tc.code == "RATE_LIMITED" && errs[0].Extensions["retryAfter"] != float64(300) {
				t.Fatalf("retryAfter = %v, want 300", errs[0].Extensions["retryAfter"])
			}
		})
	}
}

// TestRetriedFaultsRecover: a 429 with a short Retry-After and a burst of
// 5xx are retried inside the budget, and the client sees a normal answer.
func TestRetriedFaultsRecover(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, RetryAfter: 0, Times: 1})
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 2})
	e.sim.ResetRequests()
	var r struct{ Logs struct{ TotalCount int } }
	e.mustDo(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, &r)
	if r.Logs.TotalCount != len(e.sim.Logs("prod-chat")) {
		t.Fatalf("totalCount %d", r.Logs.TotalCount)
	}
	if n := e.sim.RequestCount(); n != 4 {
		t.Fatalf("%d upstream calls, want 4 (3 faults, 1 answer)", n)
	}
}

// TestMalformedAnswer: an answer that is not JSON is an UPSTREAM_ERROR.
func TestMalformedAnswer(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultMalformedJSON, Times: 10})
	expectCode(t, e.do(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, nil), "UPSTREAM_ERROR")
}

// TestSlowUpstreamTimesOut: an upstream slower than the request's deadline
// gives UPSTREAM_TIMEOUT, not a hung client.
func TestSlowUpstreamTimesOut(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultSlow, Delay: 5 * time.Second, Times: 10})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	errs := e.do(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, nil, func(r *client.Request) {
		r.HTTP = r.HTTP.WithContext(ctx)
	})
	expectCode(t, errs, "UPSTREAM_TIMEOUT")
}

// TestFailingFieldFailsAlone: one alias on an unknown gateway fails with its
// own path; its siblings still answer.
func TestFailingFieldFailsAlone(t *testing.T) {
	e := newEnv(t)
	var r struct {
		Good *struct{ TotalCount int }
		Bad  *struct{ TotalCount int }
		Gw   *struct {
			Logs *struct{ TotalCount int }
		}
	}
	errs := e.do(`{ good: logs(gatewayId: "prod-chat") { totalCount }
		bad: logs(gatewayId: "missing") { totalCount }
		gw: gateway(gatewayId: "staging") { logs { totalCount } } }`, nil, &r)
	expectCode(t, errs, "NOT_FOUND")
	if len(errs) != 1 || len(errs[0].Path) != 1 || errs[0].Path[0] != "bad" {
		t.Fatalf("errors %+v, want one at path [bad]", errs)
	}
	if r.Good == nil || r.Good.TotalCount != len(e.sim.Logs("prod-chat")) || r.Bad != nil {
		t.Fatalf("good=%+v bad=%+v", r.Good, r.Bad)
	}
	if r.Gw == nil || r.Gw.Logs == nil || r.Gw.Logs.TotalCount != len(e.sim.Logs("staging")) {
		t.Fatalf("gateway sibling did not answer: %+v", r.Gw)
	}
}
