package ratebudget

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSmallLimitsKeepEveryWindowWithinLimit: Limit 1 and 2 start, and no
// window of length Window (ends included) ever holds more than Limit calls,
// on a clock the test moves.
func TestSmallLimitsKeepEveryWindowWithinLimit(t *testing.T) {
	t.Parallel()
	const window = time.Hour
	for _, tc := range []struct {
		limit int
		// at: offsets from the first call; sent: whether each goes upstream.
		at   []time.Duration
		sent []bool
	}{
		{1, []time.Duration{0, time.Minute, window, window + time.Millisecond, window + 2*time.Millisecond},
			[]bool{true, false, false, true, false}},
		{2, []time.Duration{0, time.Minute, window, window + time.Minute, 2 * window},
			[]bool{true, false, true, false, true}},
	} {
		upstream := 0
		tr, err := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
			upstream++
			return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
		}), Options{Limit: tc.limit, Window: window, MaxWait: -1})
		if err != nil {
			t.Fatalf("Limit %d: %v", tc.limit, err)
		}
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		var sentAt []time.Time
		for i, d := range tc.at {
			tr.now = func() time.Time { return start.Add(d) }
			req, _ := http.NewRequest(http.MethodPost, "https://api.example/x", nil)
			req.Header.Set("Authorization", "Bearer tok")
			before := upstream
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if sent := upstream > before; sent != tc.sent[i] {
				t.Fatalf("Limit %d, call at +%v: sent=%v, want %v (status %d)", tc.limit, d, sent, tc.sent[i], resp.StatusCode)
			}
			if upstream > before {
				sentAt = append(sentAt, start.Add(d))
			}
		}
		for i := range sentAt {
			n := 0
			for _, s := range sentAt[i:] {
				if !s.After(sentAt[i].Add(window)) {
					n++
				}
			}
			if n > tc.limit {
				t.Errorf("Limit %d: %d calls within one window from %v", tc.limit, n, sentAt[i])
			}
		}
		_ = tr.Close()
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
