package ratebudget

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// On the bubble's clock, the 50 callers all start before the upstream
// answers.
func TestConcurrentIdenticalGETsMakeOneUpstreamCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, reg := newPipedTransport(t, Options{})
		sim.SetLatency(50 * time.Millisecond)
		c := newClient(t, base, tr, restclient.Options{})

		const callers = 50
		start := make(chan struct{})
		var wg sync.WaitGroup
		pages := make([]*restclient.LogPage, callers)
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() {
				<-start
				pages[i], errs[i] = listLogs(context.Background(), c, sim, tokA, 1)
			})
		}
		close(start)
		wg.Wait()

		for i, err := range errs {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
			if len(pages[i].Logs) != 5 || pages[i].Logs[0].ID != pages[0].Logs[0].ID {
				t.Fatalf("caller %d got a different answer", i)
			}
		}
		// Each caller decoded its own copy: mutating one must not show in another.
		pages[0].Logs[0].ID = "mutated"
		if pages[1].Logs[0].ID == "mutated" {
			t.Fatal("callers share decoded state")
		}
		if n := sim.RequestCount(); n != 1 {
			t.Fatalf("upstream calls = %d, want 1", n)
		}
		if got := metric(t, reg, "ratebudget_coalesced_total"); got != callers-1 {
			t.Errorf("coalesced_total = %v, want %d", got, callers-1)
		}
		if got := metric(t, reg, "ratebudget_upstream_requests_total"); got != 1 {
			t.Errorf("upstream_requests_total = %v, want 1", got)
		}
	})
}

func TestCoalescingNeverCrossesCredentials(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, _ := newPipedTransport(t, Options{})
		sim.SetLatency(100 * time.Millisecond)
		c := newClient(t, base, tr, restclient.Options{})

		var wg sync.WaitGroup
		for _, creds := range []restclient.Credentials{tokA, tokB, tokA, tokB} {
			wg.Go(func() { mustList(t, c, sim, creds, 1) })
		}
		wg.Wait()
		if a, b := len(upstreamCalls(sim, "tok-a")), len(upstreamCalls(sim, "tok-b")); a != 1 || b != 1 {
			t.Fatalf("upstream calls tok-a=%d tok-b=%d, want 1 each", a, b)
		}
	})
}

// The first caller giving up must not fail the callers that joined its call.
func TestCoalescedCallSurvivesTheFirstCallerLeaving(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, _ := newPipedTransport(t, Options{})
		sim.SetLatency(400 * time.Millisecond)
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		ctx1, cancel1 := context.WithCancel(context.Background())
		first := make(chan error, 1)
		go func() { _, err := listLogs(ctx1, c, sim, tokA, 1); first <- err }()
		synctest.Wait() // the first caller leads: its call waits on the upstream
		second := make(chan error, 1)
		go func() { _, err := listLogs(context.Background(), c, sim, tokA, 1); second <- err }()
		synctest.Wait() // the second caller has joined that call
		cancel1()

		if err := <-first; err == nil {
			t.Error("the cancelled caller succeeded")
		}
		if err := <-second; err != nil {
			t.Fatalf("the remaining caller failed: %v", err)
		}
		if n := sim.RequestCount(); n != 1 {
			t.Fatalf("upstream calls = %d, want 1", n)
		}
	})
}

// When every caller has left, the shared call is cancelled, not left running.
func TestCoalescedCallIsCancelledWhenEveryCallerLeaves(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, _ := newPipedTransport(t, Options{})
		sim.SetLatency(time.Second)
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if _, err := listLogs(ctx, c, sim, tokA, 1); err == nil {
			t.Fatal("want a deadline error")
		}
		synctest.Wait() // the upstream has seen the call end, or it would still wait on its latency
		if reqs := sim.Requests(); len(reqs) != 1 || reqs[0].Status != cfsim.StatusClientGone {
			t.Fatalf("upstream saw %+v, want one request abandoned by the client", reqs)
		}
	})
}

// A caller leading a call alone that its client cancels returns at once,
// and the call it led is cancelled upstream rather than left running.
func TestALoneLeaderCancelledLeavesAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim, base, tr, _ := newPipedTransport(t, Options{})
		sim.SetLatency(time.Minute)
		c := newClient(t, base, tr, restclient.Options{MaxRetries: -1})

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() { _, err := listLogs(ctx, c, sim, tokA, 1); done <- err }()
		synctest.Wait() // the call waits on the upstream
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want the caller's cancellation", err)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("the cancelled caller returned after %v, want at once", took)
		}
		synctest.Wait()
		if reqs := sim.Requests(); len(reqs) != 1 || reqs[0].Status != cfsim.StatusClientGone {
			t.Fatalf("upstream saw %+v, want one request abandoned by the client", reqs)
		}
	})
}
