package cfsim

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DemoToken is a Bearer token every Server accepts.
const DemoToken = "cfsim-demo-token"

// DefaultAccountID is the account a Server serves unless Options says
// otherwise (the spec's example account id).
const DefaultAccountID = "0d37909e38d3e99c29fa2cd343ac421a"

// Options configure a Server. The zero value is a usable demo upstream.
type Options struct {
	Seed           int64             // deterministic data; 0 → 1
	AccountID      string            // "" → DefaultAccountID; other accounts get 404 code 7003
	Gateways       []string          // nil → prod-chat, staging, batch-jobs
	LogsPerGateway int               // 0 → 2500
	Tokens         []string          // accepted Bearer tokens with AI Gateway Read and Write, besides DemoToken
	ReadOnlyTokens []string          // accepted Bearer tokens with AI Gateway Read only: changes are 403 code 10000
	AuthKeys       map[string]string // accepted X-Auth-Email → X-Auth-Key pairs
	Now            func() time.Time  // nil → time.Now; history ends at Now() − 1 minute
	// ExtraGateways adds that many gateways named gw-001, gw-002, … (after
	// Gateways, skipping names already taken) with no logs, for paging
	// through List Gateways. StartTraffic leaves them empty.
	ExtraGateways int
	// GatewaysWithResultInfo makes List Gateways add a result_info (count,
	// page, per_page, total_count) as the list of logs has. Its spec
	// documents none, and by default the simulator sends none, so that the
	// paths that do without a total are the ones tests run.
	GatewaysWithResultInfo bool
	// MaxRecordedRequests bounds the request log (Requests); 0 → 100,000.
	MaxRecordedRequests int
	// RateLimit and RateWindow are the count the Ratelimit header of every
	// authenticated answer reports, per credential (it is never enforced);
	// 0 → Cloudflare's 1200 per 5 minutes.
	RateLimit  int
	RateWindow time.Duration
	// IgnoreFilters makes List Gateway Logs answer as if no filter had been
	// sent (the filters are still checked and recorded), as the live API
	// does with the SDKs' dotted form: the upstream a response guard must
	// catch.
	IgnoreFilters bool
	// Quirks each break one assumption of the upstream contract, for tests
	// of code that checks the live API against it; the zero value breaks none.
	Quirks Quirks
}

// Server is the simulated upstream: an http.Handler safe for concurrent use,
// plus knobs for tests.
type Server struct {
	accountID        string
	gatewayIDs       []string                // Options.Gateways: the gateways with traffic
	extraIDs         []string                // Options.ExtraGateways
	gatewaysWithInfo bool                    // Options.GatewaysWithResultInfo
	gwOrder          []string                // every gateway once, in List Gateways order
	gwConf           map[string]*gatewayConf // immutable after New
	tokens           map[string]permission
	authKeys         map[string]string
	now              func() time.Time
	ignoreFilters    bool
	quirks           Quirks

	mu       sync.RWMutex // guards gateways' contents and rng, and deleted
	gateways map[string]*gateway
	deleted  map[string]bool // gateways DeleteGateway removed
	rng      *rand.Rand      // for Append: deterministic given Seed and the Append calls

	rates   rateCounter
	latency atomic.Int64 // time.Duration
	faults  faultQueue
	reqs    requestLog
	flight  inFlight
}

// New builds a Server and generates its data set. Data depend only on Seed,
// the gateway names, LogsPerGateway and Now() at construction.
func New(opts Options) *Server {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if opts.Gateways == nil {
		opts.Gateways = []string{"prod-chat", "staging", "batch-jobs"}
	}
	if opts.LogsPerGateway == 0 {
		opts.LogsPerGateway = 2500
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxRecordedRequests <= 0 {
		opts.MaxRecordedRequests = 100_000
	}
	s := &Server{
		accountID:        opts.AccountID,
		gatewayIDs:       slices.Clone(opts.Gateways),
		gatewaysWithInfo: opts.GatewaysWithResultInfo,
		tokens:           map[string]permission{DemoToken: readWrite},
		authKeys:         map[string]string{},
		now:              opts.Now,
		ignoreFilters:    opts.IgnoreFilters,
		quirks:           opts.Quirks,
		gateways:         map[string]*gateway{},
		gwConf:           map[string]*gatewayConf{},
		rng:              rand.New(rand.NewPCG(uint64(opts.Seed), 0x6366_7369_6d)), // "cfsim"
	}
	for _, t := range opts.ReadOnlyTokens {
		s.tokens[t] = readOnly
	}
	for _, t := range opts.Tokens {
		s.tokens[t] = readWrite
	}
	for e, k := range opts.AuthKeys {
		s.authKeys[e] = k
	}
	end := opts.Now().UTC().Add(-time.Minute)
	for _, id := range s.gatewayIDs {
		if _, dup := s.gateways[id]; dup {
			continue
		}
		rng := gatewayRand(opts.Seed, id)
		prof := newProfile(rng)
		s.gateways[id] = newGateway(id, prof, generateHistory(rng, prof, max(opts.LogsPerGateway, 0), end))
		s.gwConf[id] = newGatewayConf(newGatewayConfig(opts.Seed, id, end, len(s.gwOrder) == 0, true, prof))
		s.gwOrder = append(s.gwOrder, id)
	}
	for i := 1; len(s.extraIDs) < opts.ExtraGateways; i++ {
		id := fmt.Sprintf("gw-%03d", i)
		if _, dup := s.gateways[id]; dup {
			continue
		}
		prof := newProfile(gatewayRand(opts.Seed, id))
		s.gateways[id] = newGateway(id, prof, nil)
		s.gwConf[id] = newGatewayConf(newGatewayConfig(opts.Seed, id, end, len(s.gwOrder) == 0, false, prof))
		s.gwOrder = append(s.gwOrder, id)
		s.extraIDs = append(s.extraIDs, id)
	}
	s.reqs.max = opts.MaxRecordedRequests
	s.rates = rateCounter{limit: cmp.Or(opts.RateLimit, 1200), window: cmp.Or(opts.RateWindow, 5*time.Minute)}
	return s
}

// AccountID is the only account this server knows.
func (s *Server) AccountID() string { return s.accountID }

// Gateways lists the gateway ids, in Options order, followed by the
// ExtraGateways ones.
func (s *Server) Gateways() []string { return slices.Concat(s.gatewayIDs, s.extraIDs) }

// Logs returns a copy of a gateway's logs, newest first (created_at desc,
// ties by id desc) — the default answer order. nil for an unknown gateway.
func (s *Server) Logs(gatewayID string) []Log {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.gateways[gatewayID]
	if !ok {
		return nil
	}
	out := make([]Log, len(g.byTime))
	for i, e := range g.byTime {
		out[i] = e.log.clone()
	}
	return out
}

// Append adds n new logs to a gateway, all created at Now() (so they share
// one millisecond), and returns copies of them. nil for an unknown gateway.
func (s *Server) Append(gatewayID string, n int) []Log {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.gateways[gatewayID]
	if !ok || n <= 0 {
		return nil
	}
	t := s.now().UTC().Truncate(time.Millisecond)
	out := make([]Log, 0, n)
	var prev *Log
	for range n {
		l := generateLog(s.rng, g.prof, t, prev)
		for g.byID[l.ID] != nil { // 80 random bits: never, but ids must be unique
			l.ID = newULID(t, s.rng)
		}
		g.insert(newEntry(l))
		out = append(out, l.clone())
		prev = &out[len(out)-1]
	}
	return out
}

// StartTraffic appends perTick logs to every gateway of Options.Gateways
// (not to the ExtraGateways ones) every interval until
// ctx is done or stop is called; stop waits for the goroutine to exit and
// may be called more than once. An interval ≤ 0 means 1ms.
func (s *Server) StartTraffic(ctx context.Context, interval time.Duration, perTick int) (stop func()) {
	if interval <= 0 {
		interval = time.Millisecond
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				for _, id := range s.gatewayIDs {
					s.Append(id, perTick)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done // closed channel: later calls return at once
	}
}

// SetLatency adds d before every answer (cut short if the client leaves).
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

func (s *Server) latencyNow() time.Duration { return time.Duration(s.latency.Load()) }
