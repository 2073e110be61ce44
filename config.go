package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/graphiql"
)

// config is the service's configuration. Every setting is a flag and an
// environment variable; a flag given on the command line wins.
type config struct {
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
	MaxBodyBytes     int64
	Introspection    bool
	RequestTimeout   time.Duration
	UpstreamTimeout  time.Duration

	ReadTimeout  time.Duration // reading one request's headers and body
	WriteTimeout time.Duration // from a request's headers to its answer written; 0: derived (writeTimeout)
	IdleTimeout  time.Duration // an idle keep-alive connection is closed after this
	MaxInFlight  int           // /query requests served at once; more are answered 503 at once

	GraphiQLAssetsDir    string // serve GraphiQL's assets from here at graphiql.AssetsPath
	GraphiQLAssetBaseURL string // where the GraphiQL page loads its assets from; empty: the public CDN

	CORSAllowedOrigins []string // origins browsers may call /query from; none by default
	OTLPEndpoint       string   // OpenTelemetry collector; empty: no tracing
	UpstreamConns      int      // upstream connections (and calls in flight) across all requests

	RateLimit  int           // upstream calls per RateWindow per credential; 0 = no budget; -1 = auto (see rateLimit)
	RateWindow time.Duration // the window of RateLimit
	CacheTTL   time.Duration // short-lived upstream response cache; 0 = off
	RedisURL   string        // share the budget, pauses and cache between replicas

	CursorSecret string // key of the cursors' signatures, shared by replicas; empty: a random key per process

	now             func() time.Time // the clock of snapshots and of the rate budget; nil: time.Now. Not a setting: tests inject one
	memLimit        int64            // the memory limit the response cache is sized against; 0: the runtime's. Not a setting: tests inject one
	BreakerFailures int              // consecutive upstream failures that open a credential's circuit; 0 = no breaker
	BreakerCooldown time.Duration    // how long an open circuit refuses calls before a probe
}

func envString(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "ignoring %s=%q: not an integer\n", name, v)
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "ignoring %s=%q: not a duration\n", name, v)
	}
	return def
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

// errFlagsPrinted marks the errors that the flag package has already
// printed, with the usage text; main prints every other one.
var errFlagsPrinted = errors.New("invalid command line")

// flagGiven reports whether the command line set the named flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// parseConfig reads flags (args) over environment variables over defaults.
func parseConfig(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("gqlfacade", flag.ContinueOnError)
	fs.IntVar(&c.Port, "port", envInt("PORT", 8080), "HTTP port to listen on (PORT)")
	fs.StringVar(&c.APIBaseURL, "cloudflare-api-base-url", envString("CLOUDFLARE_API_BASE_URL", "https://api.cloudflare.com/client/v4"), "Cloudflare API base URL (CLOUDFLARE_API_BASE_URL)")
	fs.StringVar(&c.AccountID, "cloudflare-account-id", envString("CLOUDFLARE_ACCOUNT_ID", ""), "default account id when a query gives none (CLOUDFLARE_ACCOUNT_ID)")
	fs.StringVar(&c.APIToken, "cloudflare-api-token", envString("CLOUDFLARE_API_TOKEN", ""), "server-side API token, used only when a caller sends no credential (CLOUDFLARE_API_TOKEN)")
	fs.BoolVar(&c.Demo, "demo", envBool("DEMO"), "serve the built-in simulated upstream in-process; no credentials needed (DEMO=1)")
	fs.IntVar(&c.MaxPageSize, "max-page-size", envInt("MAX_PAGE_SIZE", 200), "largest first/last a query may ask for (MAX_PAGE_SIZE)")
	fs.IntVar(&c.UpstreamCalls, "upstream-concurrency", envInt("UPSTREAM_CONCURRENCY", 8), "concurrent upstream calls per GraphQL request (UPSTREAM_CONCURRENCY)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", 20*time.Second, "how long in-flight requests may run on after SIGTERM")
	fs.IntVar(&c.MaxUpstreamCalls, "max-upstream-calls", envInt("MAX_UPSTREAM_CALLS", 60), "most upstream calls one operation may need; more is QUERY_TOO_EXPENSIVE (MAX_UPSTREAM_CALLS)")
	fs.IntVar(&c.MaxDepth, "max-depth", envInt("MAX_DEPTH", 12), "deepest field nesting (MAX_DEPTH)")
	fs.IntVar(&c.MaxFields, "max-fields", envInt("MAX_FIELDS", 500), "most field selections per operation, aliases and fragments expanded (MAX_FIELDS)")
	fs.IntVar(&c.MaxValues, "max-values", envInt("MAX_VALUES", 10_000), "most values one answer may hold, lists multiplied: bounds the CPU and memory of writing it (MAX_VALUES)")
	fs.IntVar(&c.MaxNodes, "max-nodes", envInt("MAX_NODES", 200), "longest nodes(ids:) list (MAX_NODES)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", int64(envInt("MAX_BODY_BYTES", 64<<10)), "largest request body (MAX_BODY_BYTES)")
	fs.BoolVar(&c.Introspection, "introspection", envString("INTROSPECTION", "true") != "false", "answer introspection queries; -introspection=false for locked-down production (INTROSPECTION)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", envDuration("REQUEST_TIMEOUT", 30*time.Second), "deadline of one GraphQL request (REQUEST_TIMEOUT)")
	fs.DurationVar(&c.UpstreamTimeout, "upstream-timeout", envDuration("UPSTREAM_TIMEOUT", 15*time.Second), "deadline of one upstream call, retries included (UPSTREAM_TIMEOUT)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", envDuration("READ_TIMEOUT", 10*time.Second), "time a client has to send a request's headers and body; a slower one is cut off (READ_TIMEOUT)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", envDuration("WRITE_TIMEOUT", 0), "time from a request's headers until its answer is written; 0: -read-timeout + -request-timeout + 10s (WRITE_TIMEOUT)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", envDuration("IDLE_TIMEOUT", 60*time.Second), "an idle keep-alive connection is closed after this (IDLE_TIMEOUT)")
	fs.IntVar(&c.MaxInFlight, "max-in-flight", envInt("MAX_IN_FLIGHT", 256), "GraphQL requests served at once; more are answered 503 SERVICE_UNAVAILABLE with Retry-After at once (MAX_IN_FLIGHT)")
	fs.StringVar(&c.GraphiQLAssetsDir, "graphiql-assets-dir", envString("GRAPHIQL_ASSETS_DIR", ""), "serve GraphiQL's assets (npm graphiql, react, react-dom at gqlgen's versions; a node_modules directory will do) from this directory at "+graphiql.AssetsPath+"/ (GRAPHIQL_ASSETS_DIR)")
	fs.StringVar(&c.GraphiQLAssetBaseURL, "graphiql-asset-base-url", envString("GRAPHIQL_ASSET_BASE_URL", ""), "base URL the GraphiQL page loads its assets from instead of the public CDN; defaults to "+graphiql.AssetsPath+" when -graphiql-assets-dir is set (GRAPHIQL_ASSET_BASE_URL)")
	var corsOrigins string
	fs.StringVar(&corsOrigins, "cors-allowed-origins", envString("CORS_ALLOWED_ORIGINS", ""), "comma-separated origins browsers may call /query from (e.g. https://app.example.com); empty: no CORS (CORS_ALLOWED_ORIGINS)")
	fs.StringVar(&c.OTLPEndpoint, "otel-exporter-otlp-endpoint", envString("OTEL_EXPORTER_OTLP_ENDPOINT", ""), "OTLP/HTTP collector for traces, e.g. http://otel-collector:4318; empty: no tracing (OTEL_EXPORTER_OTLP_ENDPOINT)")
	fs.IntVar(&c.UpstreamConns, "upstream-connections", envInt("UPSTREAM_CONNECTIONS", 64), "upstream connections, and so calls in flight, across all requests (UPSTREAM_CONNECTIONS)")
	fs.IntVar(&c.RateLimit, "rate-limit", envInt("RATE_LIMIT", -1), "upstream calls allowed per -rate-window per credential; 0 turns the budget off; default 1200, off with -demo (RATE_LIMIT)")
	fs.DurationVar(&c.RateWindow, "rate-window", envDuration("RATE_WINDOW", 5*time.Minute), "the window of -rate-limit (RATE_WINDOW)")
	fs.DurationVar(&c.CacheTTL, "cache-ttl", envDuration("CACHE_TTL", 0), "cache identical upstream answers per credential this long, e.g. 2s; 0: off (CACHE_TTL)")
	fs.StringVar(&c.RedisURL, "redis-url", envString("REDIS_URL", ""), "Redis shared by replicas for the rate budget, 429 pauses and cache, e.g. redis://redis:6379/0 (REDIS_URL)")
	// The secret's flag has no default taken from the environment, unlike
	// the others: flag prints defaults in its usage text.
	fs.StringVar(&c.CursorSecret, "cursor-secret", "", fmt.Sprintf("secret (at least %d bytes) that signs cursors; replicas must share it, and with it cursors survive restarts; default: a random key per process (CURSOR_SECRET, preferred: a flag shows in the process list)", paging.MinSecretLen))
	fs.IntVar(&c.BreakerFailures, "breaker-failures", envInt("BREAKER_FAILURES", 5), "consecutive upstream failures (5xx, 429, no answer) after which calls with that credential are refused at once for -breaker-cooldown; 0 turns the breaker off (BREAKER_FAILURES)")
	fs.DurationVar(&c.BreakerCooldown, "breaker-cooldown", envDuration("BREAKER_COOLDOWN", 30*time.Second), "how long an open circuit refuses calls before one probe goes through (BREAKER_COOLDOWN)")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %w", errFlagsPrinted, err)
	}
	if !flagGiven(fs, "cursor-secret") {
		c.CursorSecret = os.Getenv("CURSOR_SECRET")
	}
	if n := len(c.CursorSecret); n > 0 && n < paging.MinSecretLen {
		return c, fmt.Errorf("cursor-secret (CURSOR_SECRET) is %d bytes long: it must be at least %d bytes, e.g. the output of `openssl rand -base64 32`, or unset for a random key per process", n, paging.MinSecretLen)
	}
	if c.Port < 0 || c.Port > 65535 {
		return c, fmt.Errorf("port %d is out of range", c.Port)
	}
	if c.MaxPageSize < 1 {
		return c, fmt.Errorf("max-page-size must be at least 1")
	}
	if c.MaxUpstreamCalls < 1 || c.MaxDepth < 1 || c.MaxFields < 1 || c.MaxValues < 1 || c.MaxNodes < 1 || c.MaxBodyBytes < 1 {
		return c, fmt.Errorf("limits must be at least 1")
	}
	for _, o := range strings.Split(corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSAllowedOrigins = append(c.CORSAllowedOrigins, o)
		}
	}
	if c.RateLimit < -1 || c.RateWindow <= 0 || c.CacheTTL < 0 || c.UpstreamConns < 1 {
		return c, fmt.Errorf("rate-limit, rate-window, cache-ttl and upstream-connections must not be negative")
	}
	if c.BreakerFailures < 0 {
		return c, fmt.Errorf("breaker-failures must not be negative (0 turns the breaker off)")
	}
	if c.BreakerCooldown < time.Second {
		return c, fmt.Errorf("breaker-cooldown must be at least 1s")
	}
	if c.UpstreamCalls < 1 {
		return c, fmt.Errorf("upstream-concurrency must be at least 1")
	}
	if err := c.checkHTTPLimits(); err != nil {
		return c, err
	}
	if c.GraphiQLAssetsDir != "" {
		// A wrong directory fails here, not as a blank page in a browser.
		if err := graphiql.VerifyAssets(c.GraphiQLAssetsDir); err != nil {
			return c, err
		}
		if c.GraphiQLAssetBaseURL == "" {
			c.GraphiQLAssetBaseURL = graphiql.AssetsPath
		}
	}
	return c, nil
}

// writeMargin is the time an answer has to reach a client that reads it
// slowly, beyond the request's own deadline: a large page over a slow link.
const writeMargin = 10 * time.Second

// checkHTTPLimits validates the settings of the HTTP server itself.
func (c config) checkHTTPLimits() error {
	switch {
	case c.RequestTimeout <= 0 || c.ReadTimeout <= 0 || c.IdleTimeout <= 0:
		return fmt.Errorf("request-timeout, read-timeout and idle-timeout must be positive")
	case c.WriteTimeout < 0:
		return fmt.Errorf("write-timeout must not be negative (0 derives it)")
	case c.WriteTimeout > 0 && c.WriteTimeout <= c.ReadTimeout+c.RequestTimeout:
		// net/http starts the write deadline once the headers are in: it
		// covers the body, the whole request and the answer.
		return fmt.Errorf("write-timeout %v must be longer than read-timeout + request-timeout (%v), or slow answers are cut off", c.WriteTimeout, c.ReadTimeout+c.RequestTimeout)
	case c.MaxInFlight < 1:
		return fmt.Errorf("max-in-flight must be at least 1")
	}
	return nil
}

// writeTimeout resolves 0 ("derived"): the body may take ReadTimeout, the
// request RequestTimeout, and the answer writeMargin to be written.
func (c config) writeTimeout() time.Duration {
	if c.WriteTimeout > 0 {
		return c.WriteTimeout
	}
	return c.ReadTimeout + c.RequestTimeout + writeMargin
}

// rateLimit resolves -1 ("auto"): Cloudflare's published 1200 calls per
// token, or no budget for the simulated upstream, which has no lockout.
func (c config) rateLimit() int {
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
func (c config) cacheTTL() time.Duration {
	if c.rateLimit() == 0 {
		return 0
	}
	return c.CacheTTL
}
