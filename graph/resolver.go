package graph

import "time"

// Config is what the graph needs to know of the deployment.
type Config struct {
	DefaultAccountID   string // used when a query gives no accountId
	ServerToken        string // used only when the caller sends no credential
	DefaultPageSize    int    // first/last when neither is given
	MaxPageSize        int    // largest first/last
	MaxConcurrentCalls int    // concurrent upstream calls per GraphQL request
	MaxNodes           int    // longest `nodes(ids:)` list
}

// DefaultConfig holds the documented defaults.
func DefaultConfig() Config {
	return Config{DefaultPageSize: 20, MaxPageSize: 200, MaxConcurrentCalls: 8, MaxNodes: 200}
}

// Resolver is the root of the resolvers: it holds the service's
// dependencies; everything per request lives in the request's Loaders.
type Resolver struct {
	Upstream Upstream
	Config   Config
	// Now is the clock that pins new walks; nil means time.Now.
	Now func() time.Time
}

func (r *Resolver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
