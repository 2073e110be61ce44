package graph

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/restclient"
)

// loadPage starts (or joins) the upstream list call for params and returns
// a thunk that waits for it. Starting every page before waiting for any is
// what makes a window's pages load concurrently.
func (l *Loaders) loadPage(ctx context.Context, accountID, gatewayID string, p restclient.ListLogsParams) (dataloader.Thunk[*restclient.LogPage], error) {
	q, err := p.Encode()
	if err != nil {
		return nil, err
	}
	l.params.LoadOrStore(q, p)
	return l.pages.Load(ctx, pageKey{accountID: accountID, gatewayID: gatewayID, query: q}), nil
}

func (l *Loaders) loadPages(ctx context.Context, keys []pageKey) []*dataloader.Result[*restclient.LogPage] {
	l.observer.BatchSize("pages", len(keys))
	out := make([]*dataloader.Result[*restclient.LogPage], len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := l.params.Load(k.query)
			var page *restclient.LogPage
			err := l.call(ctx, func(ctx context.Context) (err error) {
				page, err = l.upstream.ListLogs(ctx, l.creds, k.accountID, k.gatewayID, v.(restclient.ListLogsParams))
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
