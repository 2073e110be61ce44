package graph

import (
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/tail"
)

// Config is what the graph needs to know of the deployment.
type Config struct {
	DefaultAccountID   string // used when a query gives no accountId
	ServerToken        string // used only when the caller sends no credential
	DefaultPageSize    int    // first/last when neither is given
	MaxPageSize        int    // largest first/last
	MaxConcurrentCalls int    // concurrent upstream calls per GraphQL request
	MaxNodes           int    // longest `nodes(ids:)` list
	MaxWalkGateways    int    // most gateways one walk across gateways (AIGatewayAccount.logs) merges
	Limits             Limits // per-operation cost, depth and field limits
	Introspection      bool   // serve __schema/__type (turn off in production if wanted)
	// FederationNodeFields publishes Query.node and Query.nodes in the
	// subgraph SDL (_service); off, they are left out of it (nodeFieldsOut).
	FederationNodeFields bool
	MaxBodyBytes         int64         // largest request body
	RequestTimeout       time.Duration // deadline of a whole GraphQL request
	UpstreamTimeout      time.Duration // deadline of one upstream call, retries included
	// SnapshotResolution rounds a new walk's snapshot down: identical
	// queries from different callers within it make identical upstream
	// calls, which the rate budget coalesces and caches. A new walk sees
	// logs up to the start of the current period.
	SnapshotResolution time.Duration
	// CacheTTL is how long the rate budget caches upstream answers (0: no
	// cache). New walks reuse a snapshot for that long, so that repeating a
	// query within it makes the very same upstream call, answered from the
	// cache; a new walk then sees no log newer than the TTL.
	CacheTTL time.Duration
	// Cursors signs the cursors the service issues and checks those clients
	// send back. Replicas must share its key (paging.NewSigner with one
	// secret) to accept each other's cursors; DefaultConfig's has a random
	// key, so its cursors die with the process.
	Cursors *paging.Signer
	// Extensions are added to gqlgen's server after ours (metrics, request
	// log, tracing); the last one is the outermost.
	Extensions []graphql.HandlerExtension
	// Streams configure the subscription transports (stream_config.go).
	Streams StreamConfig
}

// DefaultConfig holds the documented defaults.
func DefaultConfig() Config {
	return Config{
		DefaultPageSize: 20, MaxPageSize: 200, MaxConcurrentCalls: 8, MaxNodes: 200, MaxWalkGateways: 10,
		Limits: DefaultLimits(), Introspection: true, FederationNodeFields: true, MaxBodyBytes: 64 << 10,
		RequestTimeout: 30 * time.Second, UpstreamTimeout: 15 * time.Second,
		SnapshotResolution: time.Second, Cursors: paging.RandomSigner(),
		Streams: DefaultStreamConfig(),
	}
}

// Resolver is the root of the resolvers: it holds the service's
// dependencies; everything per request lives in the request's Loaders.
type Resolver struct {
	Upstream Upstream
	Config   Config
	// Now is the clock that pins new walks; nil means time.Now.
	Now func() time.Time
	// Observer receives loader batch sizes for metrics; nil means none.
	Observer Observer
	// Tail serves subscriptions (logAdded); nil: the service has none, and
	// /query takes no WebSocket or event-stream request.
	Tail *tail.Hub
	// BatchWait is how long the loaders gather lookups made apart before
	// they call upstream; 0 means byIDWait. It is not a setting: tests
	// shorten it to show that lookups known together never depend on it.
	BatchWait time.Duration

	snapshots snapshotClock

	streamsOnce sync.Once
	streams     *wsConns // the open WebSockets
}

func (r *Resolver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// processCursors signs cursors for a Config built without DefaultConfig.
var processCursors = sync.OnceValue(paging.RandomSigner)

func (r *Resolver) cursors() *paging.Signer {
	if r.Config.Cursors != nil {
		return r.Config.Cursors
	}
	return processCursors()
}
