package breaker

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cenkalti/backoff/v4"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// upstreamAnswering is a fake wire that answers status (0: no answer).
func upstreamAnswering(status int, calls *int) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		*calls++
		if status == 0 {
			return nil, errors.New("connection refused")
		}
		return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})
}

func call(rt http.RoundTripper, ctx context.Context, token string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.example/x", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// TestWhatOpensACircuit: `Failures` answers of a kind in a row, then one
// more call: refused (without calling) for the failures of a storm, sent
// for answers that show the upstream is up and for calls the caller itself
// gave up on.
func TestWhatOpensACircuit(t *testing.T) {
	const failures = 3
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name   string
		status int
		ctx    context.Context
		opens  bool
	}{
		{"500", 500, context.Background(), true},
		{"503", 503, context.Background(), true},
		{"429", 429, context.Background(), true},
		{"no answer", 0, context.Background(), true},
		{"no answer, caller gone", 0, cancelled, false},
		{"501", 501, context.Background(), false},
		{"404", 404, context.Background(), false},
		{"401", 401, context.Background(), false},
		{"200", 200, context.Background(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(Options{Failures: failures})
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			rt := b.Gate(b.Record(upstreamAnswering(tc.status, &calls)))
			for range failures {
				_ = call(rt, tc.ctx, "tok")
			}
			err = call(rt, context.Background(), "tok")
			var open *OpenError
			refused := errors.As(err, &open)
			if refused != tc.opens || (refused && calls != failures) {
				t.Fatalf("refused=%v after %d calls (err %v), want refused=%v", refused, calls, err, tc.opens)
			}
			if refused && (open.Status != tc.status || !errors.Is(err, &backoff.PermanentError{})) {
				t.Fatalf("refusal %#v, want status %d, marked permanent", err, tc.status)
			}
			if refused {
				if err := call(rt, context.Background(), "other-tok"); errors.As(err, &open) || calls != failures+1 {
					t.Fatalf("another credential's call: %v after %d calls", err, calls)
				}
			}
		})
	}
}

// TestASuccessResetsTheCount: failures must be consecutive.
func TestASuccessResetsTheCount(t *testing.T) {
	b, _ := New(Options{Failures: 3})
	status, calls := 500, 0
	rt := b.Gate(b.Record(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return upstreamAnswering(status, &calls).RoundTrip(r)
	})))
	for _, s := range []int{500, 500, 200, 500, 500} {
		status = s
		if err := call(rt, context.Background(), "tok"); err != nil {
			t.Fatalf("refused after %d calls: %v", calls, err)
		}
	}
}

// TestNoCredentialIsUnguarded: anonymous calls are not one shared circuit.
func TestNoCredentialIsUnguarded(t *testing.T) {
	b, _ := New(Options{Failures: 1})
	calls := 0
	rt := b.Gate(b.Record(upstreamAnswering(500, &calls)))
	for range 3 {
		if err := call(rt, context.Background(), ""); err != nil {
			t.Fatal(err)
		}
	}
}
