// Package httpx holds the HTTP helpers that more than one layer of the
// upstream stack needs to read the same way.
package httpx

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter clamps absurd hints so that durations cannot overflow.
const MaxRetryAfter = 24 * time.Hour

// RetryAfter reads the wait the server asked for: retry-after-ms
// (milliseconds, as Cloudflare's SDKs honour it) first, then Retry-After as
// seconds or an HTTP date. It returns 0 when there is no usable hint, and at
// most MaxRetryAfter. The client's retries and the rate budget's pause both
// read it here, so that they always agree on how long the upstream asked for.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && !math.IsInf(ms, 0) {
			return clamp(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s > 0 && !math.IsInf(s, 0) {
			return clamp(s * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, MaxRetryAfter)
		}
	}
	return 0
}

func clamp(ns float64) time.Duration {
	if ns >= float64(MaxRetryAfter) {
		return MaxRetryAfter
	}
	return time.Duration(ns)
}
