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
	e.sim.ResetRequests()
	held := make(chan struct{})
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Times: 2, Held: held, Release: make(chan struct{})})

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
	<-held // both upstream calls started, and are held until their caller leaves
	<-held
	cancel()
	<-done
	// Both upstream calls end as "client gone": nothing else releases them.
	recorded, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if err := e.sim.AwaitRequests(recorded, 2); err != nil {
		t.Fatalf("the upstream calls did not end: %v", err)
	}
	reqs := e.sim.Requests()
	if len(reqs) != 2 || reqs[0].Status != cfsim.StatusClientGone || reqs[1].Status != cfsim.StatusClientGone {
		t.Fatalf("upstream calls %+v, want two ended as client gone", reqs)
	}
	srv.Client().CloseIdleConnections()
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
