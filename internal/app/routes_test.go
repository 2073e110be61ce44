package app_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// TestQueryMiddlewareOrder checks, by what a client sees, the order of the
// middleware around /query in the stack New builds:
//   - CORS outside the in-flight bound: a browser can read a 503, and a
//     preflight is answered while every place is taken;
//   - the in-flight bound outside the GraphQL handler: a refused request
//     never reaches the upstream;
//   - status capture outside the GraphQL handler: the request-log line of
//     an operation has the status its answer was written with.
func TestQueryMiddlewareOrder(t *testing.T) {
	const origin = "https://app.example.com"
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 60})
	logged := make(logLines, 100)
	service := apptest.New(t, sim, base, func(c *app.Config) {
		c.MaxInFlight, c.CORSAllowedOrigins = 1, []string{origin}
	}, app.Options{Logger: slog.New(slog.NewJSONHandler(logged, nil))})
	root := apptest.Serve(t, service)

	query := func(q string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, root+"/query", strings.NewReader(`{"query":`+jsonString(q)+`}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		return req
	}
	held, release := make(chan struct{}), make(chan struct{})
	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Held: held, Release: release})
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(query(`{ logs(gatewayId: "prod-chat", first: 1) { totalCount } }`))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-held // the one place is taken

	resp, err := http.DefaultClient.Do(query(`{ logs(gatewayId: "staging", first: 1) { totalCount } }`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("over the bound: %d with Access-Control-Allow-Origin %q, want 503 a browser may read", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	preflight, _ := http.NewRequest(http.MethodOptions, root+"/query", nil)
	preflight.Header.Set("Origin", origin)
	preflight.Header.Set("Access-Control-Request-Method", http.MethodPost)
	preflight.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err = http.DefaultClient.Do(preflight)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 || resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("preflight while full: %d, want it answered", resp.StatusCode)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls, want 1: the refused request must not reach the upstream", n)
	}

	// A request the transport refuses (400) is logged with its status.
	bad, _ := http.NewRequest(http.MethodPost, root+"/query", strings.NewReader(`{"query": "{ __typename }", "query": "{ __typename }"}`))
	bad.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(bad)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a request object with two queries: %d, want 400", resp.StatusCode)
	}
	waitForStatusLine(t, logged, resp.StatusCode)
}

// waitForStatusLine reads log lines until the request-log line of an
// operation answered with status; the line is written once the answer has
// been, so it may come after the client has read it.
func waitForStatusLine(t *testing.T, lines logLines, status int) {
	t.Helper()
	for {
		select {
		case line := <-lines:
			var rec struct {
				Msg    string
				Status int
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			if rec.Msg == "graphql operation" && rec.Status == status {
				return
			}
		case <-t.Context().Done():
			t.Fatalf("no request-log line with status %d", status)
		}
	}
}
