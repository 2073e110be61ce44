package restclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func list(c *Client, ctx context.Context) (*LogPage, error) {
	return c.ListLogs(ctx, Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{})
}

func TestRetry429ThenSuccessHonoursRetryAfter(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, 429, errorBody(971, "slow down"))
			return
		}
		writeJSON(w, 200, emptyPage)
	})
	c, fs := newTestClient(t, srv, Options{}, false)
	if _, err := list(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if seen.count() != 2 {
		t.Errorf("requests = %d, want 2", seen.count())
	}
	if got := fs.recorded(); !reflect.DeepEqual(got, []time.Duration{2 * time.Second}) {
		t.Errorf("waits = %v, want [2s]", got)
	}
}

func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{"retry-after-ms wins", map[string]string{"Retry-After": "3", "retry-after-ms": "1500"}, 1500 * time.Millisecond},
		{"http date", map[string]string{"Retry-After": now.Add(4 * time.Second).Format(http.TimeFormat)}, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					writeJSON(w, 503, errorBody(1, "busy"))
					return
				}
				writeJSON(w, 200, emptyPage)
			})
			c, fs := newTestClient(t, srv, Options{}, false)
			c.now = func() time.Time { return now }
			if _, err := list(c, context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := fs.recorded(); !reflect.DeepEqual(got, []time.Duration{tt.want}) || seen.count() != 2 {
				t.Errorf("waits = %v (want [%v]), requests = %d", got, tt.want, seen.count())
			}
		})
	}
}

// Real clock, small value: the client really waits what it was told.
func TestRetryAfterMsRealWait(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("retry-after-ms", "80")
			writeJSON(w, 429, errorBody(971, "slow down"))
			return
		}
		writeJSON(w, 200, emptyPage)
	})
	c, _ := newTestClient(t, srv, Options{}, true)
	start := time.Now()
	if _, err := list(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 80*time.Millisecond || el > 2*time.Second {
		t.Errorf("elapsed %v, want ≈80ms", el)
	}
	if seen.count() != 2 {
		t.Errorf("requests = %d", seen.count())
	}
}

func TestRetryBudgetExhaustedReturnsRateLimitError(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "4")
		writeJSON(w, 429, errorBody(971, "slow down"))
	})
	c, fs := newTestClient(t, srv, Options{MaxRetries: 10, RetryBudget: 10 * time.Second}, false)
	_, err := list(c, context.Background())
	var rl *RateLimitError
	if !errors.As(err, &rl) || !IsRateLimited(err) {
		t.Fatalf("want *RateLimitError, got %T %v", err, err)
	}
	if rl.Err.RetryAfter != 4*time.Second {
		t.Errorf("RetryAfter = %v", rl.Err.RetryAfter)
	}
	// 4s + 4s fit in 10s; a third wait would not.
	if got := fs.recorded(); !reflect.DeepEqual(got, []time.Duration{4 * time.Second, 4 * time.Second}) || seen.count() != 3 {
		t.Errorf("waits = %v, requests = %d", got, seen.count())
	}
}

func TestRetryMaxRetriesAndJitteredCappedBackoff(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 503, errorBody(1, "busy"))
	})
	c, fs := newTestClient(t, srv, Options{MaxRetries: 6, MaxBackoff: 300 * time.Millisecond, RetryBudget: time.Hour}, false)
	_, err := list(c, context.Background())
	if !IsServer(err) {
		t.Fatalf("got %v", err)
	}
	waits := fs.recorded()
	if seen.count() != 7 || len(waits) != 6 {
		t.Fatalf("requests = %d, waits = %v", seen.count(), waits)
	}
	for _, w := range waits {
		if w <= 0 || w > 300*time.Millisecond {
			t.Errorf("wait %v outside (0, MaxBackoff]", w)
		}
	}
	if waits[0] > 250*time.Millisecond*3/2 {
		t.Errorf("first wait %v too long", waits[0])
	}
}

func TestRetryDefaultsToThree(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 500, errorBody(1, "boom"))
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	if _, err := list(c, context.Background()); !IsServer(err) {
		t.Fatal(err)
	}
	if seen.count() != 4 {
		t.Errorf("requests = %d, want 1 + 3 retries", seen.count())
	}
}

func Test5xxBurstThenSuccess(t *testing.T) {
	statuses := []int{500, 502, 503}
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= len(statuses) {
			writeJSON(w, statuses[n-1], `<html>down</html>`)
			return
		}
		writeJSON(w, 200, fullLogBody)
	})
	c, fs := newTestClient(t, srv, Options{}, false)
	page, err := list(c, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Logs) != 1 || seen.count() != 4 || len(fs.recorded()) != 3 {
		t.Errorf("logs = %d, requests = %d, waits = %v", len(page.Logs), seen.count(), fs.recorded())
	}
}

func TestNoRetry(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 422, 501} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, status, errorBody(1, "no"))
			})
			c, fs := newTestClient(t, srv, Options{MaxRetries: 5}, false)
			if _, err := list(c, context.Background()); err == nil {
				t.Fatal("want an error")
			}
			if seen.count() != 1 || len(fs.recorded()) != 0 {
				t.Errorf("requests = %d, waits = %v", seen.count(), fs.recorded())
			}
		})
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 503, errorBody(1, "busy"))
	})
	c, _ := newTestClient(t, srv, Options{MaxRetries: -1}, false)
	if _, err := list(c, context.Background()); !IsServer(err) || seen.count() != 1 {
		t.Errorf("err = %v, requests = %d", err, seen.count())
	}
}

func TestNonIdempotentNotRetried(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 503, errorBody(1, "busy"))
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	err := c.do(context.Background(), Credentials{}, http.MethodPatch, "/accounts/a/ai-gateway/gateways/g/logs/x", nil, map[string]int{"feedback": 1}, nil)
	if !IsServer(err) || seen.count() != 1 {
		t.Errorf("err = %v, requests = %d", err, seen.count())
	}
}

// A server hint longer than MaxBackoff is not shortened: retrying early would
// only be refused again. The caller gets the error and the hint at once.
func TestRetryAfterBeyondMaxBackoffReturnsAtOnce(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "300")
		writeJSON(w, 429, errorBody(971, "slow down"))
	})
	c, fs := newTestClient(t, srv, Options{}, false)
	_, err := list(c, context.Background())
	e, ok := AsError(err)
	if !ok || !IsRateLimited(err) || e.RetryAfter != 300*time.Second {
		t.Fatalf("got %v", err)
	}
	if seen.count() != 1 || len(fs.recorded()) != 0 {
		t.Errorf("requests = %d, waits = %v", seen.count(), fs.recorded())
	}
}

func TestCancelledContextStopsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "4")
		writeJSON(w, 429, errorBody(971, "slow down"))
		cancel() // the caller gives up while the client waits to retry
	})
	c, _ := newTestClient(t, srv, Options{}, true)
	start := time.Now()
	_, err := list(c, ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("took %v", el)
	}
	if seen.count() != 1 {
		t.Errorf("requests = %d", seen.count())
	}

	// Already cancelled: nothing is sent.
	_, err = list(c, ctx)
	if !errors.Is(err, context.Canceled) || seen.count() != 1 {
		t.Errorf("err = %v, requests = %d", err, seen.count())
	}
}

func TestDeadlineShorterThanRetryAfter(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "3")
		writeJSON(w, 429, errorBody(971, "slow down"))
	})
	c, _ := newTestClient(t, srv, Options{}, true)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := list(c, ctx)
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("waited %v though the deadline could not be met", el)
	}
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Err.RetryAfter != 3*time.Second {
		t.Fatalf("want *RateLimitError with the hint, got %v", err)
	}
	if seen.count() != 1 {
		t.Errorf("requests = %d", seen.count())
	}
}

func TestTransportErrorRetried(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // the connection dies with no answer
			}
			return
		}
		writeJSON(w, 200, emptyPage)
	})
	c, fs := newTestClient(t, srv, Options{}, false)
	if _, err := list(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if seen.count() != 2 || len(fs.recorded()) != 1 {
		t.Errorf("requests = %d, waits = %v", seen.count(), fs.recorded())
	}
}

func TestTransportErrorMessageHasNoQuery(t *testing.T) {
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	})
	c, _ := newTestClient(t, srv, Options{MaxRetries: -1}, false)
	_, err := c.ListLogs(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{Search: "private words"})
	if err == nil || strings.Contains(err.Error(), "private") || strings.Contains(err.Error(), testToken) {
		t.Fatalf("got %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.URL, "/logs") {
		t.Errorf("want the *url.Error kept, got %T", err)
	}
}

func TestTruncatedBodyRetriedThenReported(t *testing.T) {
	srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// Promise more than is sent: the client sees an unexpected EOF.
		w.Header().Set("Content-Length", "5000")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(fullLogBody[:50]))
	})
	c, fs := newTestClient(t, srv, Options{MaxRetries: 1}, false)
	_, err := list(c, context.Background())
	if !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("got %v", err)
	}
	if seen.count() != 2 || len(fs.recorded()) != 1 {
		t.Errorf("requests = %d, waits = %v", seen.count(), fs.recorded())
	}
}
