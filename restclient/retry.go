package restclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
)

const (
	defaultMaxRetries  = 3
	defaultMaxBackoff  = 5 * time.Second
	defaultRetryBudget = 10 * time.Second
	// initialBackoff is the first un-hinted wait (before jitter).
	initialBackoff = 250 * time.Millisecond
)

// attemptResult is the outcome of one HTTP exchange.
type attemptResult struct {
	err        error
	retryable  bool
	retryAfter time.Duration // the upstream's hint, 0 if none
}

// withRetries runs once until it succeeds or the policy says stop. Only
// idempotent reads are retried: a PATCH that timed out may have been applied.
//
// A wait is skipped (and the last error returned at once) when it would
// exceed MaxBackoff (for a server hint: the server asked for longer than we
// are willing to wait, so retrying early would only be refused again), the
// RetryBudget, or the context's deadline.
func (c *Client) withRetries(ctx context.Context, method, path string, once func() attemptResult) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("restclient: %s %s: %w", method, path, err)
	}
	bo := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(min(initialBackoff, c.maxBackoff)),
		backoff.WithMultiplier(2),
		backoff.WithRandomizationFactor(0.5), // jitter: spreads clients that failed together
		backoff.WithMaxInterval(c.maxBackoff),
		backoff.WithMaxElapsedTime(0), // the budget below is ours, counted in waits only
	)
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		res := once()
		if res.err == nil {
			return nil
		}
		if !res.retryable || !idempotent(method) || attempt >= c.maxRetries {
			return res.err
		}
		wait := res.retryAfter
		if wait > c.maxBackoff {
			return res.err
		}
		if wait <= 0 {
			wait = min(bo.NextBackOff(), c.maxBackoff)
		}
		if waited+wait > c.retryBudget {
			return res.err
		}
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			return res.err
		}
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("restclient: %s %s: %w (last attempt: %w)", method, path, err, res.err)
		}
		waited += wait
	}
}

func idempotent(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// retryableStatus: rate limiting and server trouble are transient; 501 (Not
// Implemented) is not.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// retryableTransport: network failures are worth another try, unless the
// caller gave up (retrying would ignore the caller), the server's
// certificate is wrong (it will be just as wrong next time), or a transport
// under the client marked its error backoff.Permanent (e.g. a circuit
// breaker refusing the call: retries would only wait to be refused again).
func retryableTransport(ctx context.Context, err error) bool {
	var permanent *backoff.PermanentError
	if ctx.Err() != nil || errors.As(err, &permanent) {
		return false
	}
	var (
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		certBad  x509.CertificateInvalidError
	)
	return !errors.As(err, &certErr) && !errors.As(err, &unknown) &&
		!errors.As(err, &hostname) && !errors.As(err, &certBad)
}
