package main

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// TestOversizedAnswerIsOneAttemptAndSaysSo: an upstream answer over the
// client's size cap is UPSTREAM_ERROR ANSWER_TOO_LARGE after one attempt,
// whether the rate budget (which buffers answers to share them, up to a cap
// of its own) is in the way or not.
func TestOversizedAnswerIsOneAttemptAndSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mib       int
		rateLimit int
	}{
		{"over the client's cap, budget off", 33, 0},
		{"over the client's cap, budget on", 33, -1},
		{"over the budget's sharing cap too", 65, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var attempts atomic.Int32
			chunk := strings.Repeat("x", 1<<20)
			base := testenv.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				attempts.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"success":true,"errors":[],"messages":[],"result":[],"pad":"`)
				for range tc.mib {
					if _, err := io.WriteString(w, chunk); err != nil {
						return
					}
				}
				_, _ = io.WriteString(w, `"}`)
			}))
			cfg := testConfig(t)
			cfg.APIBaseURL, cfg.APIToken, cfg.AccountID = base, "some-token", cfsim.DefaultAccountID
			cfg.RateLimit = tc.rateLimit
			// Reading tens of MiB is slow under the race detector on a busy
			// machine; the answer must be about its size, not a timeout.
			cfg.UpstreamTimeout, cfg.RequestTimeout, cfg.WriteTimeout = 5*time.Minute, 5*time.Minute, 6*time.Minute
			addr, stop := startServer(t, cfg)
			defer func() { _ = stop() }()
			a := postQuery(t, "http://"+addr, `{ logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`, nil)
			if len(a.Errors) != 1 {
				t.Fatalf("errors %+v", a.Errors)
			}
			e := a.Errors[0]
			up, _ := e.Extensions["upstream"].(map[string]any)
			if e.Extensions["code"] != "UPSTREAM_ERROR" || up["reason"] != "ANSWER_TOO_LARGE" || !strings.Contains(e.Message, "too large") {
				t.Fatalf("error %+v, want UPSTREAM_ERROR with reason ANSWER_TOO_LARGE", e)
			}
			if n := attempts.Load(); n != 1 {
				t.Fatalf("%d upstream attempts for an oversized answer, want 1", n)
			}
		})
	}
}
