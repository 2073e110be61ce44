package graph_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
)

// TestDroppedConnections: an upstream that hangs up without answering is
// retried; when it keeps hanging up the field fails with UPSTREAM_ERROR.
func TestDroppedConnections(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultDropConnection, Times: 2})
	var r struct{ Logs struct{ TotalCount int } }
	e.mustDo(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, &r)
	if r.Logs.TotalCount == 0 {
		t.Fatal("no answer after two dropped connections")
	}
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultDropConnection, Times: 50})
	expectCode(t, e.do(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, nil), "UPSTREAM_ERROR")
}

// TestClientDisconnectCancelsUpstream: when the caller goes away, the
// upstream calls it started are cancelled rather than left running.
func TestClientDisconnectCancelsUpstream(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.handler)
	defer srv.Close()
	e.sim.SetLatency(5 * time.Second)
	e.sim.ResetRequests()

	ctx, cancel := context.WithCancel(context.Background())
	body := `{"query":"{ a: logs(gatewayId: \"prod-chat\") { totalCount } b: logs(gatewayId: \"staging\") { totalCount } }"}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/query", bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, func() bool { return e.sim.MaxInFlight() == 2 }) // both upstream calls started
	cancel()
	<-done
	// Both upstream calls end as "client gone" long before the latency ends.
	waitFor(t, func() bool {
		reqs := e.sim.Requests()
		return len(reqs) == 2 && reqs[0].Status == cfsim.StatusClientGone && reqs[1].Status == cfsim.StatusClientGone
	})
	srv.Client().CloseIdleConnections()
}

// waitFor polls cond for up to two seconds: the conditions it waits for are
// causal (a call started, a call was cancelled), not timing goals.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 2s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRequestDeadline: a request whose upstream never answers ends at the
// server's request deadline with UPSTREAM_TIMEOUT.
func TestRequestDeadline(t *testing.T) {
	e := newEnv(t)
	e.resolver.Config.RequestTimeout = 150 * time.Millisecond
	rebuild(e)
	e.sim.SetLatency(10 * time.Second)
	errs := e.do(`{ logs(gatewayId: "prod-chat") { totalCount } }`, nil, nil)
	expectCode(t, errs, "UPSTREAM_TIMEOUT")
	if !strings.Contains(errs[0].Message, "time") {
		t.Fatalf("message %q", errs[0].Message)
	}
}
