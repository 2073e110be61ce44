package graph

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/restclient"
)

// bodyKey names one stored body: a log's request or its response.
type bodyKey struct {
	log      logKey
	response bool
}

// eachConcurrently runs fn for every index at once; the request's
// concurrency bound (Loaders.call) keeps the upstream load in check.
func eachConcurrently(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); fn(i) }()
	}
	wg.Wait()
}

// loadDetails fetches GET …/logs/{id} once per distinct log, concurrently:
// the upstream has no batch form of it.
func (l *Loaders) loadDetails(ctx context.Context, keys []logKey) []*dataloader.Result[*restclient.LogDetail] {
	l.observer.BatchSize("logDetails", len(keys))
	out := make([]*dataloader.Result[*restclient.LogDetail], len(keys))
	eachConcurrently(len(keys), func(i int) {
		k := keys[i]
		var d *restclient.LogDetail
		err := l.call(ctx, func(ctx context.Context) (err error) {
			d, err = l.upstream.GetLog(ctx, l.creds, k.accountID, k.gatewayID, k.logID)
			return err
		})
		out[i] = &dataloader.Result[*restclient.LogDetail]{Data: d, Error: err}
	})
	return out
}

// loadBodies fetches stored request/response bodies, one call each.
func (l *Loaders) loadBodies(ctx context.Context, keys []bodyKey) []*dataloader.Result[json.RawMessage] {
	l.observer.BatchSize("logBodies", len(keys))
	out := make([]*dataloader.Result[json.RawMessage], len(keys))
	eachConcurrently(len(keys), func(i int) {
		k := keys[i]
		get := l.upstream.GetLogRequestBody
		if k.response {
			get = l.upstream.GetLogResponseBody
		}
		var body json.RawMessage
		err := l.call(ctx, func(ctx context.Context) (err error) {
			body, err = get(ctx, l.creds, k.log.accountID, k.log.gatewayID, k.log.logID)
			return err
		})
		out[i] = &dataloader.Result[json.RawMessage]{Data: body, Error: err}
	})
	return out
}
