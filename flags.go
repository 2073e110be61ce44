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
	"github.com/aigw/gqlfacade/internal/app"
)

// errFlagsPrinted marks the errors that the flag package has already
// printed, with the usage text; main prints every other one.
var errFlagsPrinted = errors.New("invalid command line")

// settings declares the flags, each with its environment variable as the
// default: a flag given on the command line wins. A variable that does not
// parse is an error, not a value silently ignored.
type settings struct {
	fs      *flag.FlagSet
	envErrs []error
	secrets []secret
}

// secret is a setting whose value must never be printed: flag prints
// defaults in its usage text, so its variable is read after parsing.
type secret struct {
	dst       *string
	flag, env string
}

func (s *settings) str(p *string, flagName, env, def, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		def = v
	}
	s.fs.StringVar(p, flagName, def, usage+" ("+env+")")
}

func (s *settings) secretStr(p *string, flagName, env, usage string) {
	s.secrets = append(s.secrets, secret{p, flagName, env})
	s.fs.StringVar(p, flagName, "", usage+" ("+env+"; prefer the variable: a flag shows in the process list)")
}

func (s *settings) int(p *int, flagName, env string, def int, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.envErrs = append(s.envErrs, fmt.Errorf("%s=%q: not an integer", env, v))
		}
		def = n
	}
	s.fs.IntVar(p, flagName, def, usage+" ("+env+")")
}

func (s *settings) duration(p *time.Duration, flagName, env string, def time.Duration, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			s.envErrs = append(s.envErrs, fmt.Errorf("%s=%q: not a duration (e.g. 30s, 2m)", env, v))
		}
		def = d
	}
	s.fs.DurationVar(p, flagName, def, usage+" ("+env+")")
}

func (s *settings) bool(p *bool, flagName, env string, def bool, usage string) {
	if v, ok := os.LookupEnv(env); ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.envErrs = append(s.envErrs, fmt.Errorf("%s=%q: not a boolean (true or false)", env, v))
		}
		def = b
	}
	s.fs.BoolVar(p, flagName, def, usage+" ("+env+")")
}

// parseConfig reads flags (args) over environment variables over the
// defaults, and validates the result.
func parseConfig(args []string) (app.Config, error) {
	c := app.Defaults()
	d := app.Defaults()
	s := &settings{fs: flag.NewFlagSet("gqlfacade", flag.ContinueOnError)}
	s.str(&c.Host, "host", "HOST", d.Host, "address to listen on, e.g. 127.0.0.1 for this machine only; empty for every interface")
	s.int(&c.Port, "port", "PORT", d.Port, "HTTP port to listen on")
	s.upstream(&c)
	s.bool(&c.Demo, "demo", "DEMO", false, "serve the built-in simulated upstream in-process; no credentials needed")
	s.int(&c.MaxPageSize, "max-page-size", "MAX_PAGE_SIZE", d.MaxPageSize, "largest first/last a query may ask for")
	s.int(&c.UpstreamCalls, "upstream-concurrency", "UPSTREAM_CONCURRENCY", d.UpstreamCalls, "concurrent upstream calls per GraphQL request")
	s.fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", d.ShutdownGrace, "how long in-flight requests may run on after SIGTERM")
	s.int(&c.MaxUpstreamCalls, "max-upstream-calls", "MAX_UPSTREAM_CALLS", d.MaxUpstreamCalls, "most upstream calls one operation may need; more is QUERY_TOO_EXPENSIVE")
	s.int(&c.MaxDepth, "max-depth", "MAX_DEPTH", d.MaxDepth, "deepest field nesting")
	s.int(&c.MaxFields, "max-fields", "MAX_FIELDS", d.MaxFields, "most field selections per operation, aliases and fragments expanded")
	s.int(&c.MaxValues, "max-values", "MAX_VALUES", d.MaxValues, "most values one answer may hold, lists multiplied: bounds the CPU and memory of writing it")
	s.int(&c.MaxNodes, "max-nodes", "MAX_NODES", d.MaxNodes, "longest nodes(ids:) list")
	s.int(&c.MaxWalkGateways, "max-walk-gateways", "MAX_WALK_GATEWAYS", d.MaxWalkGateways, "most gateways one walk across gateways (account { logs }) merges, at most 99; more is BAD_USER_INPUT")
	maxBody := int(d.MaxBodyBytes)
	s.int(&maxBody, "max-body-bytes", "MAX_BODY_BYTES", maxBody, "largest request body")
	s.bool(&c.FederationNodeFields, "federation-node-fields", "FEDERATION_NODE_FIELDS", d.FederationNodeFields, "publish Query.node and Query.nodes in the subgraph SDL; false when another subgraph of the supergraph owns them (our objects stay reachable by global id through _entities)")
	s.bool(&c.Introspection, "introspection", "INTROSPECTION", d.Introspection, "answer introspection queries; -introspection=false for locked-down production")
	s.duration(&c.RequestTimeout, "request-timeout", "REQUEST_TIMEOUT", d.RequestTimeout, "deadline of one GraphQL request")
	s.duration(&c.UpstreamTimeout, "upstream-timeout", "UPSTREAM_TIMEOUT", d.UpstreamTimeout, "deadline of one upstream call, retries included")
	s.duration(&c.ReadTimeout, "read-timeout", "READ_TIMEOUT", d.ReadTimeout, "time a client has to send a request's headers and body; a slower one is cut off")
	s.duration(&c.WriteTimeout, "write-timeout", "WRITE_TIMEOUT", d.WriteTimeout, "time from a request's headers until its answer is written; 0: -read-timeout + -request-timeout + 10s")
	s.duration(&c.IdleTimeout, "idle-timeout", "IDLE_TIMEOUT", d.IdleTimeout, "an idle keep-alive connection is closed after this")
	s.int(&c.MaxInFlight, "max-in-flight", "MAX_IN_FLIGHT", d.MaxInFlight, "GraphQL requests served at once; more are answered 503 SERVICE_UNAVAILABLE with Retry-After at once")
	s.str(&c.GraphiQLAssetsDir, "graphiql-assets-dir", "GRAPHIQL_ASSETS_DIR", "", "serve GraphiQL's assets (npm graphiql, react, react-dom at gqlgen's versions; a node_modules directory will do) from this directory at "+graphiql.AssetsPath+"/ instead of the copies built into the binary")
	s.str(&c.GraphiQLAssetBaseURL, "graphiql-asset-base-url", "GRAPHIQL_ASSET_BASE_URL", "", "base URL the GraphiQL page loads its assets from, e.g. "+graphiql.CDNBaseURL+" for the public CDN; default: "+graphiql.AssetsPath+" on this server")
	s.bool(&c.GraphiQLPersistHeaders, "graphiql-persist-headers", "GRAPHIQL_PERSIST_HEADERS", d.GraphiQLPersistHeaders, "let GraphiQL keep its headers pane, credentials included, in the browser's localStorage")
	var corsOrigins string
	s.str(&corsOrigins, "cors-allowed-origins", "CORS_ALLOWED_ORIGINS", "", "comma-separated origins browsers may call /query from (e.g. https://app.example.com); empty: no CORS")
	s.str(&c.OTLPEndpoint, "otel-exporter-otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "", "OTLP/HTTP collector for traces, e.g. http://otel-collector:4318; empty: no tracing")
	s.int(&c.UpstreamConns, "upstream-connections", "UPSTREAM_CONNECTIONS", d.UpstreamConns, "upstream connections, and so calls in flight, across all requests")
	s.int(&c.RateLimit, "rate-limit", "RATE_LIMIT", d.RateLimit, "upstream calls allowed per -rate-window per credential; 0 turns the budget off; default 1200, off with -demo")
	s.duration(&c.RateWindow, "rate-window", "RATE_WINDOW", d.RateWindow, "the window of -rate-limit")
	s.str(&c.RateScope, "rate-budget-scope", "RATE_BUDGET_SCOPE", d.RateScope, "what one rate budget covers: credential (each caller's credential its own) or service (one for all: Cloudflare counts per user, across all of that user's tokens)")
	s.duration(&c.CacheTTL, "cache-ttl", "CACHE_TTL", d.CacheTTL, "cache identical upstream answers per credential this long, e.g. 2s; 0: off")
	s.secretStr(&c.RedisURL, "redis-url", "REDIS_URL", "Redis shared by replicas for the rate budget, 429 pauses and cache, e.g. redis://redis:6379/0")
	s.secretStr(&c.CursorSecret, "cursor-secret", "CURSOR_SECRET", fmt.Sprintf("secret (at least %d bytes) that signs cursors; replicas must share it, and with it cursors survive restarts; default: a random key per process", paging.MinSecretLen))
	s.int(&c.BreakerFailures, "breaker-failures", "BREAKER_FAILURES", d.BreakerFailures, "consecutive upstream failures (5xx, 429, no answer) after which calls with that credential are refused at once for -breaker-cooldown; 0 turns the breaker off")
	s.duration(&c.BreakerCooldown, "breaker-cooldown", "BREAKER_COOLDOWN", d.BreakerCooldown, "how long an open circuit refuses calls before one probe goes through")
	s.streams(&c.Streams)
	if err := s.parse(args); err != nil {
		return c, err
	}
	c.MaxBodyBytes = int64(maxBody)
	for _, o := range strings.Split(corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSAllowedOrigins = append(c.CORSAllowedOrigins, o)
		}
	}
	return c, c.Validate()
}

// upstream declares the settings that say which Cloudflare API and account
// to call, and with which token: the service's, which the doctor shares.
func (s *settings) upstream(c *app.Config) {
	d := app.Defaults()
	s.str(&c.APIBaseURL, "cloudflare-api-base-url", "CLOUDFLARE_API_BASE_URL", d.APIBaseURL, "Cloudflare API base URL")
	s.str(&c.AccountID, "cloudflare-account-id", "CLOUDFLARE_ACCOUNT_ID", "", "default account id when a query gives none")
	s.secretStr(&c.APIToken, "cloudflare-api-token", "CLOUDFLARE_API_TOKEN", "server-side API token, used only when a caller sends no credential")
}

// parse reads args over the environment, then the secrets not given as
// flags.
func (s *settings) parse(args []string) error {
	if err := s.fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errFlagsPrinted, err)
	}
	if len(s.envErrs) > 0 {
		return errors.Join(s.envErrs...)
	}
	s.readSecrets()
	return nil
}

// readSecrets fills each secret not given on the command line from its
// environment variable.
func (s *settings) readSecrets() {
	given := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, sec := range s.secrets {
		if !given[sec.flag] {
			*sec.dst = os.Getenv(sec.env)
		}
	}
}
