package observe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/internal/app"
)

// TestClientThatLeavesIsNotAnUpstreamFailure: a client that disconnects
// while its upstream call is held is logged with status 499 and
// CLIENT_CLOSED_REQUEST, counted under that outcome, and its cancelled
// upstream call is "canceled", not an upstream error.
func TestClientThatLeavesIsNotAnUpstreamFailure(t *testing.T) {
	s := newStack(t)
	served := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.handler.ServeHTTP(w, r)
		served <- struct{}{}
	}))
	defer srv.Close()
	held := make(chan struct{})
	s.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Held: held, Release: make(chan struct{})})

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/query",
		strings.NewReader(`{"query":"query Left { logs(gatewayId: \"prod-chat\", first: 2) { nodes { logId } } }"}`))
	req.Header.Set("Content-Type", "application/json")
	gone := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		gone <- err
	}()
	<-held
	cancel()
	<-gone
	<-served // the log line is written before the handler returns
	srv.Client().CloseIdleConnections()

	lines := s.log.operations(t)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), s.log.String())
	}
	wantField(t, lines[0], "operation", "Left")
	wantField(t, lines[0], "status", float64(499))
	if codes, _ := lines[0]["error_codes"].([]any); !slices.Equal(codes, []any{graph.CodeClientClosedRequest}) {
		t.Errorf("error_codes %v, want [%s]", lines[0]["error_codes"], graph.CodeClientClosedRequest)
	}
	m := s.scrapeUntil(`gqlfacade_upstream_requests_total{status="canceled"}`)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="Left",outcome="CLIENT_CLOSED_REQUEST"}`, 1)
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="canceled"}`, 1)
	for _, series := range []string{
		`gqlfacade_upstream_requests_total{status="error"}`,
		`gqlfacade_graphql_operation_errors_total{code="UPSTREAM_TIMEOUT",operation="Left"}`,
		`gqlfacade_graphql_operation_errors_total{code="UPSTREAM_ERROR",operation="Left"}`,
	} {
		if v, ok := sample(m, series); ok {
			t.Errorf("%s = %v: a client that left counted as an upstream failure", series, v)
		}
	}
}

// TestSlowUpstreamIsStillAnUpstreamTimeout: an upstream that outlasts the
// request's deadline, with the client still waiting, stays UPSTREAM_TIMEOUT
// and an upstream error.
func TestSlowUpstreamIsStillAnUpstreamTimeout(t *testing.T) {
	s := newStack(t, func(c *app.Config) { c.RequestTimeout = 200 * time.Millisecond })
	release := make(chan struct{})
	defer close(release)
	s.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Release: release})
	r := s.post(`query Slow { logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "UPSTREAM_TIMEOUT" {
		t.Fatalf("errors %+v, want UPSTREAM_TIMEOUT", r.Errors)
	}
	lines := s.log.operations(t)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1", len(lines))
	}
	wantField(t, lines[0], "status", float64(http.StatusOK))
	// The call the request gave up on ends (and is counted) just after
	// the answer: the rate budget lets a caller go without waiting for it.
	m := s.scrapeUntil(`gqlfacade_upstream_requests_total{status="error"}`)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="Slow",outcome="UPSTREAM_TIMEOUT"}`, 1)
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="error"}`, 1)
}
