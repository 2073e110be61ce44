package restclient_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestSimErrorClasses drives each error class through the real simulator
// and checks how the client classifies it and how many upstream requests it
// cost (retries included). Each case has its own simulator, so injected
// faults and request counts do not leak between cases.
func TestSimErrorClasses(t *testing.T) {
	// Two retries with millisecond waits: enough to count retries without
	// slowing the suite.
	opts := restclient.Options{MaxRetries: 2, MaxBackoff: 5 * time.Millisecond}
	const attempts = 3

	// call makes one ListLogs call and returns its error and the statuses
	// of the upstream requests it caused.
	call := func(t *testing.T, e *simEnv) (error, []int) {
		t.Helper()
		_, err := e.c.ListLogs(context.Background(), e.creds, e.acct, e.gw, restclient.ListLogsParams{})
		var statuses []int
		for _, r := range e.sim.Requests() {
			statuses = append(statuses, r.Status)
		}
		return err, statuses
	}
	// apiError checks err's status and first error code.
	apiError := func(t *testing.T, err error, status, code int) {
		t.Helper()
		ae, ok := restclient.AsError(err)
		if !ok {
			t.Fatalf("err = %v (%T), want an upstream *restclient.Error", err, err)
		}
		if ae.StatusCode != status || len(ae.Errors) == 0 || ae.Errors[0].Code != code {
			t.Errorf("status %d, errors %+v; want %d with code %d", ae.StatusCode, ae.Errors, status, code)
		}
	}
	repeat := func(status, n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = status
		}
		return s
	}
	wantStatuses := func(t *testing.T, got, want []int) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("upstream requests answered %v, want %v", got, want)
		}
	}

	t.Run("unknown gateway is not found with code 7002", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.gw = "no-such-gateway"
		err, statuses := call(t, e)
		if !restclient.IsNotFound(err) {
			t.Fatalf("IsNotFound(%v) = false", err)
		}
		apiError(t, err, http.StatusNotFound, 7002)
		wantStatuses(t, statuses, []int{404}) // not retried
	})

	t.Run("bad token is an auth error", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.creds = restclient.Credentials{Token: "not-a-valid-token"}
		err, statuses := call(t, e)
		if !restclient.IsAuth(err) {
			t.Fatalf("IsAuth(%v) = false", err)
		}
		apiError(t, err, http.StatusUnauthorized, 10000)
		wantStatuses(t, statuses, []int{401})
	})

	t.Run("unknown account cannot be routed to (404, 7003), and is no unknown gateway", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.acct = "ffffffffffffffffffffffffffffffff"
		err, statuses := call(t, e)
		if restclient.IsNotFound(err) {
			t.Fatalf("IsNotFound(%v) = true: the account is wrong, not the gateway", err)
		}
		apiError(t, err, http.StatusNotFound, restclient.CodeCouldNotRoute)
		if e, _ := restclient.AsError(err); e.AccountID() != "ffffffffffffffffffffffffffffffff" {
			t.Fatalf("AccountID() = %q", e.AccountID())
		}
		wantStatuses(t, statuses, []int{404})
	})

	t.Run("rate limit longer than MaxBackoff is returned at once with RetryAfter", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, Times: 1000, RetryAfter: 30})
		err, statuses := call(t, e)
		var rl *restclient.RateLimitError
		if !restclient.IsRateLimited(err) || !errors.As(err, &rl) {
			t.Fatalf("err = %v (%T), want a *RateLimitError", err, err)
		}
		if rl.Err.RetryAfter != 30*time.Second {
			t.Errorf("RetryAfter = %v, want 30s (the Retry-After header)", rl.Err.RetryAfter)
		}
		apiError(t, err, http.StatusTooManyRequests, 971)
		// Retrying before 30s would only be refused again.
		wantStatuses(t, statuses, []int{429})
	})

	t.Run("short rate limit is retried, then reported with RetryAfter", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultRateLimit, Times: 1000, RetryAfterMS: 2})
		err, statuses := call(t, e)
		if !restclient.IsRateLimited(err) {
			t.Fatalf("IsRateLimited(%v) = false", err)
		}
		if ae, _ := restclient.AsError(err); ae.RetryAfter != 2*time.Millisecond {
			t.Errorf("RetryAfter = %v, want 2ms (retry-after-ms wins over Retry-After)", ae.RetryAfter)
		}
		wantStatuses(t, statuses, repeat(429, attempts))
	})

	t.Run("persistent server error is reported after the retries", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1000})
		err, statuses := call(t, e)
		if !restclient.IsServer(err) {
			t.Fatalf("IsServer(%v) = false", err)
		}
		apiError(t, err, http.StatusInternalServerError, 10001)
		wantStatuses(t, statuses, repeat(500, attempts))
	})

	t.Run("transient server error is absorbed by a retry", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: http.StatusBadGateway, Times: 1})
		err, statuses := call(t, e)
		if err != nil {
			t.Fatalf("err = %v, want success on the retry", err)
		}
		wantStatuses(t, statuses, []int{502, 200})
	})

	t.Run("truncated JSON is ErrMalformedResponse", func(t *testing.T) {
		e := newSimEnv(t, 20, opts)
		e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultMalformedJSON})
		err, statuses := call(t, e)
		if !errors.Is(err, restclient.ErrMalformedResponse) {
			t.Fatalf("err = %v, want ErrMalformedResponse", err)
		}
		if _, isAPI := restclient.AsError(err); isAPI {
			t.Errorf("a 200 with a broken body is not an upstream *Error: %v", err)
		}
		// The body arrived whole (a 200 with a complete, short body): the
		// upstream answered, badly, so asking again is not the client's call.
		wantStatuses(t, statuses, []int{200})
	})
}
