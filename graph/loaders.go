package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/restclient"
)

// Upstream is all the graph needs of the REST side; *restclient.Client
// satisfies it, and so can a test double.
type Upstream interface {
	ListLogs(ctx context.Context, creds restclient.Credentials, accountID, gatewayID string, p restclient.ListLogsParams) (*restclient.LogPage, error)
	GetLog(ctx context.Context, creds restclient.Credentials, accountID, gatewayID, logID string) (*restclient.LogDetail, error)
	GetLogRequestBody(ctx context.Context, creds restclient.Credentials, accountID, gatewayID, logID string) (json.RawMessage, error)
	GetLogResponseBody(ctx context.Context, creds restclient.Credentials, accountID, gatewayID, logID string) (json.RawMessage, error)
	UpdateLog(ctx context.Context, creds restclient.Credentials, accountID, gatewayID, logID string, u restclient.LogUpdate) error
	DeleteLogs(ctx context.Context, creds restclient.Credentials, accountID, gatewayID string, p restclient.DeleteLogsParams) error
	ListGateways(ctx context.Context, creds restclient.Credentials, accountID string, p restclient.ListGatewaysParams) (*restclient.GatewayPage, error)
	GetGateway(ctx context.Context, creds restclient.Credentials, accountID, gatewayID string) (*restclient.Gateway, error)
}

// logKey identifies one log looked up by id.
type logKey struct{ accountID, gatewayID, logID string }

// byIDWait is how long the by-id loaders gather lookups made apart before
// they call upstream: long enough for sibling fields resolved in parallel
// to join the batch, short against an upstream round trip. Lookups known
// together do not depend on it (batchNow).
const byIDWait = 2 * time.Millisecond

// Loaders are the per-request de-duplicating, batching caches in front of
// the upstream. One set is made for each HTTP request and dropped with it, so
// nothing loaded with one caller's credential is ever seen by another.
type Loaders struct {
	upstream Upstream
	creds    restclient.Credentials
	credErr  error
	sem      chan struct{} // bounds the request's concurrent upstream calls

	callTimeout time.Duration // deadline of one upstream call; 0 = the request's
	calls       atomic.Int64  // upstream calls made, for the request log and metrics
	now         time.Time     // the request's one clock reading
	observer    Observer
	// snapshot pins the request's new walks, all to the same instant so
	// that identical aliases make one call. It is taken when the first
	// connection asks: a request without one must not start a snapshot.
	snapshot func() time.Time

	pages    pageCalls
	listed   listedLogs // what the list calls returned, for lookups by id
	logs     *dataloader.Loader[logKey, *restclient.Log]
	details  *dataloader.Loader[logKey, *restclient.LogDetail]
	bodies   *dataloader.Loader[bodyKey, json.RawMessage]
	gateways *dataloader.Loader[gatewayKey, *restclient.Gateway]

	// Keys known together go through these, in one batch (batch_now.go).
	logsNow     *batchNow[logKey, *restclient.Log]
	gatewaysNow *batchNow[gatewayKey, *restclient.Gateway]
}

func newLoaders(upstream Upstream, creds restclient.Credentials, credErr error, maxConcurrent int, wait time.Duration) *Loaders {
	l := &Loaders{upstream: upstream, creds: creds, credErr: credErr, sem: make(chan struct{}, max(1, maxConcurrent)), observer: noObserver{}}
	logCache := dataloader.NewCache[logKey, *restclient.Log]()
	l.logs = dataloader.NewBatchedLoader(l.loadLogsByID,
		dataloader.WithWait[logKey, *restclient.Log](wait),
		dataloader.WithCache[logKey, *restclient.Log](logCache))
	l.logsNow = newBatchNow(logCache, l.loadLogsByID)
	l.details = dataloader.NewBatchedLoader(l.loadDetails,
		dataloader.WithWait[logKey, *restclient.LogDetail](wait))
	l.bodies = dataloader.NewBatchedLoader(l.loadBodies,
		dataloader.WithWait[bodyKey, json.RawMessage](wait))
	gatewayCache := dataloader.NewCache[gatewayKey, *restclient.Gateway]()
	l.gateways = dataloader.NewBatchedLoader(l.loadGateways,
		dataloader.WithWait[gatewayKey, *restclient.Gateway](wait),
		dataloader.WithCache[gatewayKey, *restclient.Gateway](gatewayCache))
	l.gatewaysNow = newBatchNow(gatewayCache, l.loadGateways)
	return l
}

type loadersKey struct{}

// WithLoaders gives every HTTP request its own Loaders, bound to the
// credential that request may use.
func (r *Resolver) WithLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := r.withLoaders(req.Context())
		defer cancel()
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// withLoaders is ctx with a request's deadline (-request-timeout) and its
// own Loaders: of an HTTP request, or of one response of a stream. The
// deadline bounds everything it starts upstream; a client that goes away
// cancels its upstream calls with it.
func (r *Resolver) withLoaders(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, r.Config.RequestTimeout)
	return context.WithValue(ctx, loadersKey{}, r.newRequestLoaders(ctx)), cancel
}

// withLazyLoaders is ctx with Loaders made when a resolver first asks for
// them, for an event of a subscription: the response that becomes the
// event starts by waiting for it, maybe for hours, so neither the Loaders'
// clock nor a deadline may start then. Each upstream call still has its
// own deadline (-upstream-timeout).
func (r *Resolver) withLazyLoaders(ctx context.Context) context.Context {
	lz := &lazyLoaders{}
	lz.make = func() *Loaders { return r.newRequestLoaders(ctx) }
	return context.WithValue(ctx, loadersKey{}, lz)
}

type lazyLoaders struct {
	once sync.Once
	make func() *Loaders
	l    *Loaders
}

func (lz *lazyLoaders) get() *Loaders {
	lz.once.Do(func() { lz.l = lz.make() })
	return lz.l
}

// requestLoaders are ctx's Loaders (made now if they are lazy and nobody
// asked yet); nil outside a request.
func requestLoaders(ctx context.Context) *Loaders {
	switch l := ctx.Value(loadersKey{}).(type) {
	case *Loaders:
		return l
	case *lazyLoaders:
		return l.get()
	}
	return nil
}

// hasLoaders reports whether ctx has Loaders, made or lazy.
func hasLoaders(ctx context.Context) bool { return ctx.Value(loadersKey{}) != nil }

func (r *Resolver) newRequestLoaders(ctx context.Context) *Loaders {
	creds, err := credentialsFor(ctx, r.Config.ServerToken)
	wait := r.BatchWait
	if wait <= 0 {
		wait = byIDWait
	}
	l := newLoaders(r.Upstream, creds, err, r.Config.MaxConcurrentCalls, wait)
	l.callTimeout = r.Config.UpstreamTimeout
	now := r.now()
	l.now = now
	l.snapshot = sync.OnceValue(func() time.Time { return r.newSnapshot(now) })
	if r.Observer != nil {
		l.observer = r.Observer
	}
	return l
}

// loadersFor returns the request's loaders, or the error that keeps the
// request from calling upstream at all (no usable credential).
func loadersFor(ctx context.Context) (*Loaders, error) {
	l := requestLoaders(ctx)
	if l == nil {
		return nil, codedError(CodeInternalServerError, "request loaders are missing")
	}
	if l.credErr != nil {
		return nil, l.credErr
	}
	return l, nil
}

// call runs one upstream call inside the request's concurrency bound and
// the per-call deadline.
func (l *Loaders) call(ctx context.Context, fn func(ctx context.Context) error) error {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.sem }()
	l.calls.Add(1)
	if l.callTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.callTimeout)
		defer cancel()
	}
	return fn(ctx)
}

// forget drops every log this request has loaded: after a deletion, none
// may be answered from memory.
func (l *Loaders) forget() {
	l.pages.forget()
	l.listed.forgetListed()
	l.logs.ClearAll()
	l.details.ClearAll()
	l.bodies.ClearAll()
}
