package graph

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/restclient"
)

// pageKey is one upstream list call: the call's identity and the
// parameters to make it with. Parameters hold a slice (the filters), which a
// comparable key cannot, so they ride along as a pointer that pageCache
// leaves out when it compares keys: two keys with the same call are one
// call, whichever of them brought the parameters.
type pageKey struct {
	pageCall
	params *restclient.ListLogsParams
}

// pageCall identifies a list call by its canonical query string, which is
// what makes two identical calls (aliases, repeated gateways) one.
type pageCall struct{ accountID, gatewayID, query string }

// pageCache is dataloader's per-request cache, keyed by the call alone.
type pageCache struct {
	calls *dataloader.InMemoryCache[pageCall, *restclient.LogPage]
}

func newPageCache() pageCache {
	return pageCache{calls: dataloader.NewCache[pageCall, *restclient.LogPage]()}
}

func (c pageCache) Get(ctx context.Context, k pageKey) (dataloader.Thunk[*restclient.LogPage], bool) {
	return c.calls.Get(ctx, k.pageCall)
}

func (c pageCache) Set(ctx context.Context, k pageKey, v dataloader.Thunk[*restclient.LogPage]) {
	c.calls.Set(ctx, k.pageCall, v)
}

func (c pageCache) Delete(ctx context.Context, k pageKey) bool {
	return c.calls.Delete(ctx, k.pageCall)
}

func (c pageCache) Clear() { c.calls.Clear() }

// loadPage starts (or joins) the upstream list call for params and returns
// a thunk that waits for it. Starting every page before waiting for any is
// what makes a window's pages load concurrently.
func (l *Loaders) loadPage(ctx context.Context, accountID, gatewayID string, p restclient.ListLogsParams) (dataloader.Thunk[*restclient.LogPage], error) {
	q, err := p.Encode()
	if err != nil {
		return nil, err
	}
	return l.pages.Load(ctx, pageKey{pageCall{accountID, gatewayID, q}, &p}), nil
}

func (l *Loaders) loadPages(ctx context.Context, keys []pageKey) []*dataloader.Result[*restclient.LogPage] {
	l.observer.BatchSize("pages", len(keys))
	out := make([]*dataloader.Result[*restclient.LogPage], len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var page *restclient.LogPage
			err := l.call(ctx, func(ctx context.Context) (err error) {
				page, err = l.upstream.ListLogs(ctx, l.creds, k.accountID, k.gatewayID, *k.params)
				return err
			})
			out[i] = &dataloader.Result[*restclient.LogPage]{Data: page, Error: err}
			if err == nil {
				l.primeLogs(ctx, k.accountID, k.gatewayID, page.Logs)
			}
		}()
	}
	wg.Wait()
	return out
}

// primeLogs lets by-id lookups later in the request reuse logs already listed.
func (l *Loaders) primeLogs(ctx context.Context, accountID, gatewayID string, logs []restclient.Log) {
	for i := range logs {
		l.logs.Prime(ctx, logKey{accountID: accountID, gatewayID: gatewayID, logID: logs[i].ID}, &logs[i])
	}
}
