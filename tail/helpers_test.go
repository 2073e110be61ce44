package tail_test

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// Every test must leave no goroutine behind: no poller, no upstream call.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const gw = "prod-chat"

var (
	tokA = restclient.Credentials{Token: "tok-a"}
	tokB = restclient.Credentials{Token: "tok-b"}
)

// world is a Hub over restclient over cfsim on an in-memory network, for a
// test inside a testing/synctest bubble: the pollers' waits take no real
// time. The simulator's clock is the test's: logs are appended at the
// instant the test chooses, several in one millisecond when it wants.
type world struct {
	t     *testing.T
	sim   *cfsim.Server
	clock *testenv.Clock // the simulator's: the created_at of appended logs
	hub   *tail.Hub
	polls *pollTimes
}

// newWorld builds the world inside the bubble; tune changes the hub's
// options (the Lister is set already).
func newWorld(t *testing.T, tune func(*tail.Options)) *world {
	t.Helper()
	clock := testenv.NewClock(time.Now())
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 30, Tokens: []string{"tok-a", "tok-b"}, Now: clock.Now})
	polls := &pollTimes{next: sim}
	client := testenv.Client(t, testenv.PipeHost+testenv.APIPath, restclient.Options{
		HTTPClient: &http.Client{Transport: testenv.Pipe(t, polls)}, MaxBackoff: time.Second,
	})
	opts := tail.Options{Lister: client}
	if tune != nil {
		tune(&opts)
	}
	hub := tail.New(opts)
	t.Cleanup(hub.Close)
	return &world{t: t, sim: sim, clock: clock, hub: hub, polls: polls}
}

// appendNow appends n logs created now (the bubble's time), all in one
// millisecond.
func (w *world) appendNow(n int) []cfsim.Log {
	w.clock.Advance(time.Now().Sub(w.clock.Now()))
	return w.sim.Append(gw, n)
}

// appendAgain appends n more logs in the millisecond of the last append,
// however much time has passed since.
func (w *world) appendAgain(n int) []cfsim.Log { return w.sim.Append(gw, n) }

func (w *world) subscribe(creds restclient.Credentials, from *tail.Position) *tail.Subscription {
	w.t.Helper()
	s, err := w.hub.Subscribe(tail.Query{Creds: creds, AccountID: w.sim.AccountID(), GatewayID: gw}, from)
	if err != nil {
		w.t.Fatalf("Subscribe: %v", err)
	}
	w.t.Cleanup(s.Close)
	return s
}

// patience is how long (of the bubble's time) read waits for a log: far
// more than any poll interval, so that a log that does not come fails the
// test instead of hanging it.
const patience = 10 * time.Minute

// read takes n logs from s, failing on a notice or an end.
func read(t *testing.T, s *tail.Subscription, n int) []tail.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	defer cancel()
	var out []tail.Event
	for len(out) < n {
		ev, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("after %d of %d logs: %v", len(out), n, err)
		}
		if ev.Notice != nil {
			t.Fatalf("after %d of %d logs: notice %v", len(out), n, ev.Notice)
		}
		out = append(out, ev)
	}
	return out
}

// quiet checks that s has nothing for d, in which the poller polls again
// and again: no log is delivered twice, and none is invented.
func quiet(t *testing.T, s *tail.Subscription, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	ev, err := s.Next(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("an event where none was due: %+v, %v", ev, err)
	}
}

// ids are the ids of events' logs, in order.
func ids(evs []tail.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Log.ID
	}
	return out
}

// oldestFirst is the order a subscriber must receive logs that one poll
// finds: oldest first, ties in a millisecond by id.
func oldestFirst(batches ...[]cfsim.Log) []string {
	var all []cfsim.Log
	for _, b := range batches {
		all = append(all, b...)
	}
	slices.SortStableFunc(all, func(a, b cfsim.Log) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	out := make([]string, len(all))
	for i, l := range all {
		out[i] = l.ID
	}
	return out
}

// pollTimes is the upstream as the test sees it: it records when each list
// call arrived (by the bubble's clock) and with which credential.
type pollTimes struct {
	next http.Handler
	mu   sync.Mutex
	at   []time.Time
	auth []string
}

func (p *pollTimes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.at = append(p.at, time.Now())
	p.auth = append(p.auth, r.Header.Get("Authorization"))
	p.mu.Unlock()
	p.next.ServeHTTP(w, r)
}

// count is how many calls have arrived.
func (p *pollTimes) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.at)
}

// credentials are the Authorization headers of the calls, in order.
func (p *pollTimes) credentials() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.auth)
}

// gaps are the times between consecutive calls.
func (p *pollTimes) gaps() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(p.at); i++ {
		out = append(out, p.at[i].Sub(p.at[i-1]))
	}
	return out
}
