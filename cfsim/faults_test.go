package cfsim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestFaultRateLimit(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.InjectFault(Fault{Kind: FaultRateLimit, Times: 2, RetryAfter: 7, RetryAfterMS: 1500})
	for range 2 {
		r := f.get(f.logsURL("staging"))
		wantError(t, r, http.StatusTooManyRequests, codeRateLimited)
		if r.header.Get("Retry-After") != "7" || r.header.Get("Retry-After-Ms") != "1500" {
			t.Errorf("headers %v", r.header)
		}
	}
	if r := f.get(f.logsURL("staging")); r.status != http.StatusOK {
		t.Fatalf("fault not used up after Times: status %d", r.status)
	}
	f.s.InjectFault(Fault{Kind: FaultRateLimit, RetryAfter: -1})
	r := f.get(f.logsURL("staging"))
	if _, has := r.header["Retry-After"]; has || r.status != 429 {
		t.Errorf("RetryAfter -1: status %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if _, has := r.header["Retry-After-Ms"]; has {
		t.Error("retry-after-ms without RetryAfterMS")
	}
	// Faults come before credentials: rate limiting happens at the edge.
	f.s.InjectFault(Fault{Kind: FaultRateLimit})
	wantError(t, f.get(f.logsURL("staging"), "X-No", "auth"), http.StatusTooManyRequests, codeRateLimited)
}

func TestFaultServerError(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.InjectFault(Fault{Kind: FaultServerError})
	f.s.InjectFault(Fault{Kind: FaultServerError, Status: 503})
	f.s.InjectFault(Fault{Kind: FaultServerError, Status: 502})
	for _, want := range []int{500, 503, 502} {
		wantError(t, f.get(f.logsURL("staging")), want, codeInternalError)
	}
	if r := f.get(f.logsURL("staging")); r.status != 200 {
		t.Fatal("queue not drained")
	}
}

func TestFaultQueueOrderGatewayAndClear(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.InjectFault(Fault{Kind: FaultServerError, Gateway: "batch-jobs"})
	f.s.InjectFault(Fault{Kind: FaultRateLimit})
	f.s.InjectFault(Fault{Kind: FaultServerError, Status: 503})
	// staging skips the batch-jobs fault and takes the FIFO head of the rest.
	wantError(t, f.get(f.logsURL("staging")), 429, codeRateLimited)
	wantError(t, f.get(f.logsURL("batch-jobs")), 500, codeInternalError)
	// Detail requests are logs requests too.
	wantError(t, f.get(f.logsURL("staging")+"/"+f.s.Logs("staging")[0].ID), 503, codeInternalError)
	f.s.InjectFault(Fault{Kind: FaultRateLimit, Times: 100})
	f.s.ClearFaults()
	if r := f.get(f.logsURL("staging")); r.status != 200 {
		t.Fatalf("ClearFaults: status %d", r.status)
	}
	// Requests that never reach a logs route do not consume faults.
	f.s.InjectFault(Fault{Kind: FaultRateLimit})
	f.get(f.ts.URL + "/nope")
	wantError(t, f.get(f.logsURL("staging")), 429, codeRateLimited)
}

func TestFaultSlow(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.InjectFault(Fault{Kind: FaultSlow, Delay: 150 * time.Millisecond})
	start := time.Now()
	if r := f.get(f.logsURL("staging")); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered after %v, want ≥ 150ms", d)
	}
	// A client that gives up is released at once and recorded as gone.
	f.s.InjectFault(Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.do(ctx, http.MethodGet, f.logsURL("staging")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	awaitRequests(t, f.s, 2)
	if st := f.s.Requests()[1].Status; st != StatusClientGone {
		t.Fatalf("recorded status %d, want %d", st, StatusClientGone)
	}
}

// TestFaultHold: held requests announce themselves, wait for Release and
// then answer; a client that gives up while held is recorded as gone.
func TestFaultHold(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	held, release := make(chan struct{}), make(chan struct{})
	f.s.InjectFault(Fault{Kind: FaultHold, Times: 2, Held: held, Release: release})
	statuses := make(chan int, 2)
	for range 2 {
		go func() {
			r, err := f.do(context.Background(), http.MethodGet, f.logsURL("staging"))
			if err != nil {
				t.Error(err)
			}
			statuses <- r.status
		}()
	}
	<-held
	<-held
	if n := f.s.RequestCount(); n != 0 {
		t.Fatalf("%d requests completed while held", n)
	}
	close(release)
	for range 2 {
		if st := <-statuses; st != http.StatusOK {
			t.Fatalf("released request: status %d", st)
		}
	}

	f.s.InjectFault(Fault{Kind: FaultHold, Held: held, Release: make(chan struct{})})
	ctx, cancel := context.WithCancel(t.Context())
	gone := make(chan error, 1)
	go func() {
		_, err := f.do(ctx, http.MethodGet, f.logsURL("staging"))
		gone <- err
	}()
	<-held
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want canceled", err)
	}
	awaitRequests(t, f.s, 3)
	if st := f.s.Requests()[2].Status; st != StatusClientGone {
		t.Fatalf("recorded status %d, want %d", st, StatusClientGone)
	}
}

func TestFaultMalformedJSON(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.InjectFault(Fault{Kind: FaultMalformedJSON, Times: 2})
	for _, u := range []string{f.logsURL("staging"), f.logsURL("staging") + "/" + f.s.Logs("staging")[0].ID} {
		r := f.get(u)
		var v any
		if r.status != 200 || len(r.body) == 0 || json.Unmarshal(r.body, &v) == nil {
			t.Fatalf("want 200 with a broken body, got %d %q", r.status, r.body)
		}
	}
}

func TestFaultDropConnection(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	// A fresh connection: on a reused keep-alive connection net/http would
	// silently retry an idempotent GET once.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	f.s.InjectFault(Fault{Kind: FaultDropConnection})
	req, _ := http.NewRequest(http.MethodGet, f.logsURL("staging"), nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want a transport error", resp.StatusCode)
	}
	awaitRequests(t, f.s, 1)
	if st := f.s.Requests()[0].Status; st != StatusDropped {
		t.Fatalf("recorded status %d, want %d", st, StatusDropped)
	}
	if r := f.get(f.logsURL("staging")); r.status != 200 {
		t.Fatal("server unusable after a dropped connection")
	}
}

func TestLatency(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.s.SetLatency(100 * time.Millisecond)
	start := time.Now()
	f.get(f.logsURL("staging"))
	wantError(t, f.get(f.ts.URL+"/nope"), 404, codeNoRoute) // every answer is delayed
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("two answers took %v, want ≥ 200ms", d)
	}
	f.s.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if _, err := f.do(ctx, http.MethodGet, f.logsURL("staging")); err == nil {
		t.Fatal("want the client's timeout")
	}
	awaitRequests(t, f.s, 3)
	if st := f.s.Requests()[2].Status; st != StatusClientGone {
		t.Fatalf("status %d", st)
	}
	f.s.SetLatency(0)
	ctx, cancel = context.WithTimeout(t.Context(), 5*time.Second) // vs the hour set above
	defer cancel()
	if r, err := f.do(ctx, http.MethodGet, f.logsURL("staging")); err != nil || r.status != 200 {
		t.Fatalf("SetLatency(0) did not remove the delay: %v", err)
	}
}
