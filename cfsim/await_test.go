package cfsim

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// TestAwaitRequests: AwaitRequests returns once the requests are recorded,
// and not while one is still being served; a context that ends first ends
// the wait with its error.
func TestAwaitRequests(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 10})
	f.get(f.logsURL("staging"))
	if err := f.s.AwaitRequests(t.Context(), 1); err != nil {
		t.Fatalf("one request served: %v", err)
	}
	held, release := make(chan struct{}), make(chan struct{})
	f.s.InjectFault(Fault{Kind: FaultHold, Held: held, Release: release})
	answered := make(chan error, 1)
	go func() {
		_, err := f.do(context.Background(), http.MethodGet, f.logsURL("staging"))
		answered <- err
	}()
	<-held
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	if err := f.s.AwaitRequests(gone, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("second request held: AwaitRequests = %v, want the context's error", err)
	}
	awaited := make(chan error, 1)
	go func() { awaited <- f.s.AwaitRequests(t.Context(), 2) }()
	close(release)
	if err := <-awaited; err != nil {
		t.Fatal(err)
	}
	if n := f.s.RequestCount(); n != 2 {
		t.Fatalf("AwaitRequests(2) returned with %d recorded", n)
	}
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
}
