package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

// testBound caps how long a test waits on the server to act; the server's
// own timeouts in these tests are far shorter, so reaching it is a failure.
const testBound = 30 * time.Second

// dialServer opens a raw connection to the service, bounded by testBound.
func dialServer(t *testing.T, base string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(testBound))
	return conn, bufio.NewReader(conn)
}

// wantClosedByServer reads until the server closes the connection; a read
// that ends at the test's own deadline means the server never did.
func wantClosedByServer(t *testing.T, r *bufio.Reader) {
	t.Helper()
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatalf("the server did not close the connection: %v", err)
	}
}

// postLogs asks for the first n logs of prod-chat; it is safe to call from
// any goroutine.
func postLogs(base string, n int) (*http.Response, gqlAnswer, error) {
	body := `{"query":"{ logs(gatewayId: \"prod-chat\", first: ` + fmt.Sprint(n) + `) { nodes { logId } } }"}`
	resp, err := http.Post(base+"/query", "application/json", strings.NewReader(body))
	if err != nil {
		return nil, gqlAnswer{}, err
	}
	defer resp.Body.Close()
	var a gqlAnswer
	return resp, a, json.NewDecoder(resp.Body).Decode(&a)
}

// answersOK is nil for a 200 answer with data and no errors.
func answersOK(resp *http.Response, a gqlAnswer, err error) error {
	if err == nil && (resp.StatusCode != http.StatusOK || len(a.Errors) > 0 || a.Data["logs"] == nil) {
		err = fmt.Errorf("answer %d %+v", resp.StatusCode, a.Errors)
	}
	return err
}

// TestSlowBodyIsCutOffByReadTimeout: a client that sends its headers and
// then trickles (here: stops sending) its body is answered 408 and
// disconnected once -read-timeout has passed, even while every slot of
// -max-in-flight is taken; the request holding the slot, served for longer
// than the read timeout, is not cut short by it.
func TestSlowBodyIsCutOffByReadTimeout(t *testing.T) {
	sim, base := upstreamServer(t, func(c *app.Config) { c.ReadTimeout, c.MaxInFlight = 200*time.Millisecond, 1 })
	held, release := make(chan struct{}), make(chan struct{})
	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Held: held, Release: release})
	served := make(chan error, 1)
	go func() { served <- answersOK(postLogs(base, 2)) }()
	<-held // the only slot is taken

	conn, r := dialServer(t, base)
	fmt.Fprint(conn, "POST /query HTTP/1.1\r\nHost: gqlfacade\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":")
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	var a gqlAnswer
	_ = json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("answer %d %+v, want 408 with BAD_USER_INPUT", resp.StatusCode, a)
	}
	wantClosedByServer(t, r)

	close(release)
	if err := <-served; err != nil {
		t.Fatalf("the request served past the read timeout: %v", err)
	}
	if n := sim.RequestCount(); n != 1 {
		t.Fatalf("%d upstream calls, want 1", n)
	}
}

// TestIdleConnectionIsClosed: a keep-alive connection with no request on it
// is closed after -idle-timeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	_, base := upstreamServer(t, func(c *app.Config) { c.IdleTimeout = 200 * time.Millisecond })
	conn, r := dialServer(t, base)
	fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: gqlfacade\r\n\r\n")
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("healthz: %d, close=%v; want a kept-alive 200", resp.StatusCode, resp.Close)
	}
	wantClosedByServer(t, r)
}

// TestRequestsOverMaxInFlightAreRefusedAtOnce: with -max-in-flight 2 and two
// requests held at the upstream, a third is answered 503 with Retry-After
// and SERVICE_UNAVAILABLE while the two are still held, and never reaches
// the upstream; once they finish, requests are served again.
func TestRequestsOverMaxInFlightAreRefusedAtOnce(t *testing.T) {
	sim, base := upstreamServer(t, func(c *app.Config) { c.MaxInFlight = 2 })
	held, release := make(chan struct{}), make(chan struct{})
	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Times: 2, Held: held, Release: release})
	done := make(chan error, 2)
	for i := range 2 {
		go func() { done <- answersOK(postLogs(base, i+1)) }() // distinct pages: no shared upstream call
	}
	for range 2 {
		select {
		case <-held:
		case err := <-done:
			t.Fatalf("a request ended before reaching the upstream: %v", err)
		}
	}

	resp, a, err := postLogs(base, 3)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d, Retry-After %q; want 503 with Retry-After 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != "SERVICE_UNAVAILABLE" || a.Errors[0].Extensions["retryAfter"] != float64(1) {
		t.Fatalf("third request's errors %+v", a.Errors)
	}

	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := sim.RequestCount(); n != 2 {
		t.Fatalf("%d upstream calls, want 2: the refused request must not reach the upstream", n)
	}
	if err := answersOK(postLogs(base, 4)); err != nil {
		t.Fatalf("after the held requests: %v", err)
	}
	m, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	scrape, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !strings.Contains(string(scrape), "\ngqlfacade_http_requests_rejected_total 1\n") {
		t.Fatal("/metrics does not count the refused request")
	}
}

func TestHTTPTimeoutSettings(t *testing.T) {
	writeTimeout := func(cfg app.Config) time.Duration {
		t.Helper()
		service, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		defer service.Close()
		return service.Server().WriteTimeout
	}
	cfg, err := parseConfig([]string{"-read-timeout", "5s", "-request-timeout", "20s"})
	if err != nil {
		t.Fatal(err)
	}
	if got := writeTimeout(cfg); got != 5*time.Second+20*time.Second+10*time.Second { // the README's derivation
		t.Fatalf("derived write timeout %v", got)
	}
	t.Setenv("WRITE_TIMEOUT", "2m")
	if cfg, err := parseConfig(nil); err != nil || writeTimeout(cfg) != 2*time.Minute {
		t.Fatalf("WRITE_TIMEOUT: %v", err)
	}
	for _, args := range [][]string{
		{"-write-timeout", "30s"}, // not longer than 10s + 30s
		{"-read-timeout", "0s"},
		{"-idle-timeout", "-1s"},
		{"-max-in-flight", "0"},
	} {
		if _, err := parseConfig(args); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}
