package app

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/graphiql"
)

// Config is the service's configuration. Each setting is a flag and an
// environment variable of the command (the README's Configuration table);
// errors name a setting by both.
type Config struct {
	Host          string // the address to listen on; "" is every interface
	Port          int
	APIBaseURL    string
	AccountID     string
	APIToken      string
	Demo          bool
	MaxPageSize   int
	UpstreamCalls int // concurrent upstream calls per GraphQL request
	ShutdownGrace time.Duration

	MaxUpstreamCalls int // per-operation budget of upstream calls (QUERY_TOO_EXPENSIVE over it)
	MaxDepth         int
	MaxFields        int
	MaxValues        int
	MaxNodes         int
	MaxWalkGateways  int // most gateways one walk across gateways (AIGatewayAccount.logs) merges
	MaxBodyBytes     int64
	Introspection    bool
	// FederationNodeFields publishes Query.node and Query.nodes in the
	// subgraph SDL; off for a supergraph where another subgraph owns them.
	FederationNodeFields bool
	RequestTimeout       time.Duration
	UpstreamTimeout      time.Duration

	ReadTimeout  time.Duration // reading one request's headers and body
	WriteTimeout time.Duration // from a request's headers to its answer written; 0: derived (writeTimeout)
	IdleTimeout  time.Duration // an idle keep-alive connection is closed after this
	MaxInFlight  int           // /query requests served at once; more are answered 503 at once

	GraphiQLAssetsDir      string // serve GraphiQL's assets from here at graphiql.AssetsPath; empty: the copies embedded in the binary
	GraphiQLAssetBaseURL   string // where the GraphiQL page loads its assets from; empty: graphiql.AssetsPath on this server
	GraphiQLPersistHeaders bool   // GraphiQL keeps its headers pane (credentials) in the browser's localStorage

	CORSAllowedOrigins []string // origins browsers may call /query from; none by default
	OTLPEndpoint       string   // OpenTelemetry collector; empty: no tracing
	UpstreamConns      int      // upstream connections (and calls in flight) across all requests

	RateLimit  int           // upstream calls per RateWindow per credential; 0 = no budget; -1 = auto (see rateLimit)
	RateWindow time.Duration // the window of RateLimit
	CacheTTL   time.Duration // short-lived upstream response cache; 0 = off
	RedisURL   string        // share the budget, pauses and cache between replicas
	// RateScope is what one budget covers: "credential" (each its own) or
	// "service" (one for all callers: Cloudflare counts per user, across
	// all of that user's tokens).
	RateScope string

	CursorSecret string // key of the cursors' signatures, shared by replicas; empty: a random key per process

	BreakerFailures int           // consecutive upstream failures that open a credential's circuit; 0 = no breaker
	BreakerCooldown time.Duration // how long an open circuit refuses calls before a probe

	Streams StreamSettings // subscriptions and the streams that carry them (config_streams.go)

	// Now is the clock of snapshots and of the rate budget; nil means
	// time.Now. It is not a setting: tests inject one.
	Now func() time.Time

	memLimit int64 // the memory limit the response cache is sized against; 0: the runtime's. Tests inject one
}

// Defaults are the documented defaults of every setting.
func Defaults() Config {
	return Config{
		Port: 8080, APIBaseURL: "https://api.cloudflare.com/client/v4",
		MaxPageSize: 200, UpstreamCalls: 8, ShutdownGrace: 20 * time.Second,
		MaxUpstreamCalls: 60, MaxDepth: 12, MaxFields: 500, MaxValues: 10_000, MaxNodes: 200, MaxWalkGateways: 10,
		MaxBodyBytes: 64 << 10, Introspection: true, FederationNodeFields: true,
		RequestTimeout: 30 * time.Second, UpstreamTimeout: 15 * time.Second,
		ReadTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second, MaxInFlight: 256,
		UpstreamConns: 64,
		RateLimit:     -1, RateWindow: 5 * time.Minute, RateScope: "credential",
		BreakerFailures: 5, BreakerCooldown: 30 * time.Second,
		Streams: defaultStreams(),
	}
}

// maxWalkGateways bounds -max-walk-gateways: a walk's cursors grow by
// about 15 characters per gateway, and one List Gateways page of 100 tells
// whether an account has more gateways than a walk may merge.
const maxWalkGateways = 99

// Validate checks every setting, each against what it allows, and names
// the setting, the value given and what is allowed in its error.
func (c *Config) Validate() error {
	atLeast := []struct {
		name  string
		value int64
		min   int64
	}{
		{"max-page-size (MAX_PAGE_SIZE)", int64(c.MaxPageSize), 1},
		{"upstream-concurrency (UPSTREAM_CONCURRENCY)", int64(c.UpstreamCalls), 1},
		{"max-upstream-calls (MAX_UPSTREAM_CALLS)", int64(c.MaxUpstreamCalls), 1},
		{"max-depth (MAX_DEPTH)", int64(c.MaxDepth), 1},
		{"max-fields (MAX_FIELDS)", int64(c.MaxFields), 1},
		{"max-values (MAX_VALUES)", int64(c.MaxValues), 1},
		{"max-nodes (MAX_NODES)", int64(c.MaxNodes), 1},
		{"max-walk-gateways (MAX_WALK_GATEWAYS)", int64(c.MaxWalkGateways), 1},
		{"max-body-bytes (MAX_BODY_BYTES)", c.MaxBodyBytes, 1},
		{"max-in-flight (MAX_IN_FLIGHT)", int64(c.MaxInFlight), 1},
		{"upstream-connections (UPSTREAM_CONNECTIONS)", int64(c.UpstreamConns), 1},
		{"rate-limit (RATE_LIMIT)", int64(c.RateLimit), -1},
		{"breaker-failures (BREAKER_FAILURES)", int64(c.BreakerFailures), 0},
	}
	for _, s := range atLeast {
		if s.value < s.min {
			return fmt.Errorf("%s is %d: it must be at least %d", s.name, s.value, s.min)
		}
	}
	positive := []struct {
		name  string
		value time.Duration
	}{
		{"request-timeout (REQUEST_TIMEOUT)", c.RequestTimeout},
		{"upstream-timeout (UPSTREAM_TIMEOUT)", c.UpstreamTimeout},
		{"read-timeout (READ_TIMEOUT)", c.ReadTimeout},
		{"idle-timeout (IDLE_TIMEOUT)", c.IdleTimeout},
		{"rate-window (RATE_WINDOW)", c.RateWindow},
		{"shutdown-grace", c.ShutdownGrace},
	}
	for _, s := range positive {
		if s.value <= 0 {
			return fmt.Errorf("%s is %v: it must be a positive duration, e.g. 30s", s.name, s.value)
		}
	}
	switch {
	case c.Host != "" && c.Host != "localhost" && net.ParseIP(c.Host) == nil:
		return fmt.Errorf("host (HOST) is %q: it must be an IP address (e.g. 127.0.0.1 or ::1), localhost, or empty for every interface", c.Host)
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("port (PORT) is %d: it must be between 0 and 65535 (0 picks a free port)", c.Port)
	case c.MaxWalkGateways > maxWalkGateways:
		return fmt.Errorf("max-walk-gateways (MAX_WALK_GATEWAYS) is %d: it must be at most %d (a walk's cursors hold a position in each of its gateways)", c.MaxWalkGateways, maxWalkGateways)
	case c.CacheTTL < 0:
		return fmt.Errorf("cache-ttl (CACHE_TTL) is %v: it must not be negative (0 turns the cache off)", c.CacheTTL)
	case c.WriteTimeout < 0:
		return fmt.Errorf("write-timeout (WRITE_TIMEOUT) is %v: it must not be negative (0 derives it)", c.WriteTimeout)
	case c.WriteTimeout > 0 && c.WriteTimeout <= c.ReadTimeout+c.RequestTimeout:
		// net/http starts the write deadline once the headers are in: it
		// covers the body, the whole request and the answer.
		return fmt.Errorf("write-timeout (WRITE_TIMEOUT) is %v: it must be longer than read-timeout + request-timeout (%v), or slow answers are cut off", c.WriteTimeout, c.ReadTimeout+c.RequestTimeout)
	case c.RateScope != "credential" && c.RateScope != "service":
		return fmt.Errorf("rate-budget-scope (RATE_BUDGET_SCOPE) is %q: it must be credential (a budget per credential) or service (one budget for all)", c.RateScope)
	case c.BreakerCooldown < time.Second:
		return fmt.Errorf("breaker-cooldown (BREAKER_COOLDOWN) is %v: it must be at least 1s", c.BreakerCooldown)
	}
	if err := c.Streams.validate(); err != nil {
		return err
	}
	if n := len(c.CursorSecret); n > 0 && n < paging.MinSecretLen {
		return fmt.Errorf("cursor-secret (CURSOR_SECRET) is %d bytes long: it must be at least %d bytes, e.g. the output of `openssl rand -base64 32`, or unset for a random key per process", n, paging.MinSecretLen)
	}
	if c.GraphiQLAssetsDir != "" {
		// A wrong directory fails here, not as a blank page in a browser.
		if err := graphiql.VerifyAssets(c.GraphiQLAssetsDir); err != nil {
			return fmt.Errorf("graphiql-assets-dir (GRAPHIQL_ASSETS_DIR): %w", err)
		}
	}
	if !assetBaseURLOK(c.GraphiQLAssetBaseURL) {
		return fmt.Errorf("graphiql-asset-base-url (GRAPHIQL_ASSET_BASE_URL) is %q: it must be empty (this server's %s), a path on this server such as %s, or an http(s) URL such as %s", c.GraphiQLAssetBaseURL, graphiql.AssetsPath, graphiql.AssetsPath, graphiql.CDNBaseURL)
	}
	return nil
}

// assetBaseURLOK: the page puts the base URL into src and href attributes
// as it is, so only what a browser loads as a script from somewhere is
// allowed: an absolute path ("//host" would be another origin), or an
// http(s) URL with a host.
func assetBaseURLOK(base string) bool {
	if base == "" {
		return true
	}
	u, err := url.Parse(base)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return false
	}
	if u.Scheme == "" {
		return u.Host == "" && strings.HasPrefix(base, "/") && !strings.HasPrefix(base, "//")
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// writeMargin is the time an answer has to reach a client that reads it
// slowly, beyond the request's own deadline: a large page over a slow link.
const writeMargin = 10 * time.Second

// writeTimeout resolves 0 ("derived"): the body may take ReadTimeout, the
// request RequestTimeout, and the answer writeMargin to be written.
func (c Config) writeTimeout() time.Duration {
	if c.WriteTimeout > 0 {
		return c.WriteTimeout
	}
	return c.ReadTimeout + c.RequestTimeout + writeMargin
}

// rateLimit resolves -1 ("auto"): Cloudflare's published 1200 calls per
// token, or no budget for the simulated upstream, which has no lockout.
func (c Config) rateLimit() int {
	if c.RateLimit >= 0 {
		return c.RateLimit
	}
	if c.Demo {
		return 0
	}
	return 1200
}

// cacheTTL is how long upstream answers are cached in fact: the cache is
// part of the rate budget, so without a budget there is none.
func (c Config) cacheTTL() time.Duration {
	if c.rateLimit() == 0 {
		return 0
	}
	return c.CacheTTL
}
