package graph_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

// env is the real stack of most tests: the GraphQL handler over restclient
// over cfsim on a real loopback listener (internal/testenv).
type env struct {
	t        *testing.T
	sim      *cfsim.Server
	base     string // the upstream API's base URL, …/client/v4
	resolver *graph.Resolver
	handler  http.Handler
	gql      *client.Client
}

type graphConfig = graph.Config

type cfsimOptions = cfsim.Options

type envOption func(*graphConfig, *cfsim.Options)

// withoutServerToken makes the service rely on callers' credentials alone.
func withoutServerToken() envOption {
	return func(c *graph.Config, _ *cfsim.Options) { c.ServerToken = "" }
}

func withSimTokens(tokens ...string) envOption {
	return func(_ *graph.Config, o *cfsim.Options) { o.Tokens = append(o.Tokens, tokens...) }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := graph.DefaultConfig()
	cfg.ServerToken = cfsim.DemoToken
	simOpts := cfsim.Options{LogsPerGateway: 600}
	for _, o := range opts {
		o(&cfg, &simOpts)
	}
	sim, base := testenv.Upstream(t, simOpts)
	rc := testenv.Client(t, base, restclient.Options{MaxBackoff: 50 * time.Millisecond})
	cfg.DefaultAccountID = sim.AccountID()
	resolver := &graph.Resolver{Upstream: rc, Config: cfg}
	h := graph.NewHandler(resolver)
	return &env{t: t, sim: sim, base: base, resolver: resolver, handler: h, gql: client.New(h)}
}

// rebuild makes a new handler after a test changed the resolver's config.
func rebuild(e *env) *env {
	e.handler = graph.NewHandler(e.resolver)
	e.gql = client.New(e.handler)
	return e
}

// holdTogether holds the next n upstream requests at cfsim until all n are
// there, then lets them answer: a query that gets its answer made those n
// calls concurrently, whatever the machine's speed. Calls queue behind
// earlier holds in order.
func (e *env) holdTogether(n int) {
	held, release := make(chan struct{}), make(chan struct{})
	e.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultHold, Times: n, Held: held, Release: release})
	done := e.t.Context().Done() // a test that fails first leaves no goroutine behind
	go func() {
		for range n {
			select {
			case <-held:
			case <-done:
				return
			}
		}
		close(release)
	}()
}
