package restclient

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"testing"
)

// attemptRecorder is what a metrics transport under the Client would be.
type attemptRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen []int
}

func (a *attemptRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.seen = append(a.seen, Attempt(req.Context()))
	a.mu.Unlock()
	return a.base.RoundTrip(req)
}

func TestAttemptNumbersReachTheTransport(t *testing.T) {
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 3 {
			writeJSON(w, 503, errorBody(10000, "try again"))
			return
		}
		writeJSON(w, 200, emptyPage)
	})
	rec := &attemptRecorder{base: http.DefaultTransport}
	hc := &http.Client{Transport: rec}
	t.Cleanup(hc.CloseIdleConnections)
	c, _ := newTestClient(t, srv, Options{HTTPClient: hc}, false)
	for range 2 { // a second call starts again at 1
		if _, err := list(c, context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if want := []int{1, 2, 3, 1}; !reflect.DeepEqual(rec.seen, want) {
		t.Errorf("attempts seen by the transport = %v, want %v", rec.seen, want)
	}
	if n := Attempt(context.Background()); n != 0 {
		t.Errorf("Attempt outside a call = %d, want 0", n)
	}
}
