package cfsim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Requests served while logs are appended see consistent answers; run with
// -race to check the locking.
func TestAppendWhileServing(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300, Now: time.Now})
	queries := []url.Values{
		{},
		{"order_by": {"provider"}, "order_by_direction": {"asc"}, "per_page": {"50"}},
		{"meta_info": {"true"}, "page": {"3"}},
		filtersQ(Filter{"success", "eq", []any{true}}),
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				q := queries[(i+n)%len(queries)]
				r, err := f.do(ctx, http.MethodGet, f.logsURL("prod-chat")+"?"+q.Encode())
				if err != nil {
					if ctx.Err() == nil {
						errs <- err
					}
					return
				}
				if r.status != http.StatusOK {
					errs <- fmt.Errorf("status %d: %s", r.status, r.body)
					return
				}
			}
		})
	}
	stop := f.s.StartTraffic(ctx, time.Millisecond, 2)
	// A request completes between two appends, so that appends interleave
	// with serving whatever the machine's speed; the appends go on until
	// the traffic has added logs too.
	awaitCtx, awaitCancel := context.WithTimeout(ctx, 10*time.Second)
	defer awaitCancel()
	for appended := 0; appended < 50 || len(f.s.Logs("prod-chat")) < 300+3*appended+2; appended++ {
		f.s.Append("prod-chat", 3)
		if err := f.s.AwaitRequests(awaitCtx, f.s.RequestCount()+1); err != nil {
			t.Fatalf("no request served after %d appends: %v", appended+1, err)
		}
	}
	stop()
	stop() // idempotent
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	logs := f.s.Logs("prod-chat")
	if len(logs) < 300+150+2 {
		t.Fatalf("only %d logs after appending", len(logs))
	}
	seen := map[string]bool{}
	for i, l := range logs {
		if seen[l.ID] {
			t.Fatalf("duplicate id %s", l.ID)
		}
		seen[l.ID] = true
		if i > 0 && compareAsc("created_at", &logs[i-1], &l) <= 0 {
			t.Fatalf("Logs out of order at %d after concurrent appends", i)
		}
	}
	// The list answer agrees with Logs() once traffic stopped.
	got, total := f.listAll("prod-chat", nil)
	if total != len(logs) || !slices.Equal(got, idsOf(logs)) {
		t.Fatalf("answer (%d) differs from Logs() (%d) after traffic", total, len(logs))
	}
}

// TestStartTraffic runs on the fake clock of a testing/synctest bubble:
// exactly two ticks pass, and none after stop.
func TestStartTraffic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{LogsPerGateway: 10, Now: time.Now})
		ctx, cancel := context.WithCancel(t.Context())
		stop := s.StartTraffic(ctx, time.Millisecond, 4)
		time.Sleep(2*time.Millisecond + time.Microsecond)
		synctest.Wait() // the second tick's appends are done
		cancel()        // ctx ends the traffic as well as stop does
		stop()
		counts := map[string]int{}
		for _, gw := range s.Gateways() {
			counts[gw] = len(s.Logs(gw))
			if (counts[gw]-10)%4 != 0 || counts[gw] < 18 {
				t.Errorf("%s: %d logs; want 10 + a multiple of 4, at least 2 ticks", gw, counts[gw])
			}
		}
		time.Sleep(10 * time.Millisecond)
		for _, gw := range s.Gateways() {
			if len(s.Logs(gw)) != counts[gw] {
				t.Errorf("%s: traffic continued after stop", gw)
			}
		}
	})
}

func TestAppend(t *testing.T) {
	clk := &clock{t: testNow}
	s := New(Options{LogsPerGateway: 10, Now: clk.Now})
	clk.Advance(1500 * time.Microsecond) // sub-millisecond part is dropped
	got := s.Append("staging", 4)
	if len(got) != 4 {
		t.Fatalf("Append returned %d logs", len(got))
	}
	for _, l := range got {
		if !l.CreatedAt.Equal(testNow.Add(time.Millisecond)) {
			t.Errorf("created_at %v, want Now() truncated to ms", l.CreatedAt)
		}
	}
	logs := s.Logs("staging")
	if len(logs) != 14 || !slices.Contains(idsOf(logs[:4]), got[0].ID) {
		t.Fatal("appended logs are not the newest")
	}
	if s.Append("nope", 3) != nil || s.Append("staging", 0) != nil {
		t.Error("Append to an unknown gateway or of 0 logs should return nil")
	}
}
