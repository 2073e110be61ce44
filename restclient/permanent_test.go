package restclient

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/cenkalti/backoff/v4"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestPermanentTransportErrorIsNotRetried: a transport under the client
// that marks its error backoff.Permanent (the circuit breaker's refusal)
// ends the call at once, with that error reachable; other transport errors
// are still retried.
func TestPermanentTransportErrorIsNotRetried(t *testing.T) {
	refusal := errors.New("refused")
	for _, tc := range []struct {
		err      error
		attempts int
	}{
		{backoff.Permanent(refusal), 1},
		{refusal, 1 + defaultMaxRetries},
	} {
		attempts := 0
		hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			attempts++
			return nil, tc.err
		})}
		c, err := New(Options{HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		c.sleep = (&fakeSleeper{}).sleep
		_, err = c.ListLogs(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{})
		if !errors.Is(err, refusal) || attempts != tc.attempts {
			t.Fatalf("%v: %d attempts, error %v; want %d attempts and the transport's error", tc.err, attempts, err, tc.attempts)
		}
	}
}
