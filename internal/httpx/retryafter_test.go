package httpx

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":      0,
		"0":     0,
		"-5":    0,
		"soon":  0,
		"1.5":   1500 * time.Millisecond,
		"1e300": MaxRetryAfter,
		now.Add(-time.Hour).Format(http.TimeFormat):     0,
		now.Add(time.Minute).Format(http.TimeFormat):    time.Minute,
		now.Add(48 * time.Hour).Format(http.TimeFormat): MaxRetryAfter,
	} {
		h := http.Header{}
		if in != "" {
			h.Set("Retry-After", in)
		}
		if got := RetryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: got %v want %v", in, got, want)
		}
	}
	for _, c := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After-Ms": {"1500"}, "Retry-After": {"9"}}, 1500 * time.Millisecond},
		{http.Header{"Retry-After-Ms": {"NaN"}, "Retry-After": {"2"}}, 2 * time.Second},
		{http.Header{"Retry-After-Ms": {"-1"}, "Retry-After": {"2"}}, 2 * time.Second},
		{http.Header{"Retry-After-Ms": {"1e300"}}, MaxRetryAfter},
	} {
		if got := RetryAfter(c.h, now); got != c.want {
			t.Errorf("%v: got %v want %v", c.h, got, c.want)
		}
	}
}
