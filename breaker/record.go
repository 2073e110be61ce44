package breaker

import (
	"net/http"
)

// Record returns a RoundTripper that reports each exchange with the
// upstream to the circuit that admitted it. Place it directly above the
// transport that reaches the network (see the package comment).
func (b *Breakers) Record(next http.RoundTripper) http.RoundTripper {
	return &recorder{next: next}
}

type recorder struct {
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	t, _ := req.Context().Value(ticketKey{}).(*ticket)
	resp, err := r.next.RoundTrip(req)
	if t == nil {
		return resp, err
	}
	switch {
	case err != nil && req.Context().Err() != nil:
		t.report(errNeutral) // the caller gave up: no verdict on the upstream
	case err != nil:
		t.c.lastStatus.Store(0)
		t.report(errFailed)
	case failing(resp.StatusCode):
		t.c.lastStatus.Store(int32(resp.StatusCode))
		t.report(errFailed)
	default:
		t.report(nil)
	}
	return resp, err
}

// failing: the answers restclient would retry, i.e. those a storm is made of.
func failing(status int) bool {
	return status == http.StatusTooManyRequests || (status >= 500 && status <= 599 && status != http.StatusNotImplemented)
}

func (r *recorder) CloseIdleConnections() { closeIdle(r.next) }
