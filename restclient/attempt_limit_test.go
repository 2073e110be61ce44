package restclient_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

// An http.Client's Timeout still bounds each attempt, body included, now
// that the Client applies it as a context deadline (no per-call timer
// goroutine); a caller's sooner deadline still wins.
func TestHTTPClientTimeoutBoundsEachAttempt(t *testing.T) {
	for _, tc := range []struct {
		name       string
		callerWait time.Duration // 0: the caller sets no deadline
		want       time.Duration
	}{
		{"no caller deadline", 0, 3 * time.Second},
		{"later caller deadline", time.Minute, 3 * time.Second},
		{"sooner caller deadline", time.Second, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Headers and half a body, then nothing until the call gives up.
				stall := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusOK)
					_, _ = w.Write([]byte(`{"success":true,"result":[`))
					w.(http.Flusher).Flush()
					<-r.Context().Done()
				})
				hc := &http.Client{Transport: testenv.Pipe(t, stall), Timeout: 3 * time.Second}
				c, err := restclient.New(restclient.Options{BaseURL: testenv.PipeHost + testenv.APIPath, HTTPClient: hc, MaxRetries: -1})
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				if tc.callerWait > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.callerWait)
					defer cancel()
				}
				start := time.Now()
				_, err = c.ListLogs(ctx, restclient.Credentials{Token: "t"}, "acct", "gw", restclient.ListLogsParams{})
				if took := time.Since(start); took != tc.want {
					t.Errorf("the call ended after %v, want %v", took, tc.want)
				}
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want a deadline", err)
				}
				if hc.Timeout != 3*time.Second {
					t.Errorf("the caller's http.Client was changed: Timeout %v", hc.Timeout)
				}
			})
		})
	}
}
