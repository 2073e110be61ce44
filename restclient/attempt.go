package restclient

import "context"

type attemptKey struct{}

// Attempt reports which attempt of one API call the request carrying ctx is:
// 1 for the first, 2 for the first retry, and so on; 0 when the request was
// not made by a Client. It lets an http.RoundTripper under the Client (a
// metrics transport, say) tell retries from first attempts.
func Attempt(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}

func withAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey{}, n)
}
