package graph

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/restclient"
)

// maxIDsPerCall is how many ids one `id eq [...]` call asks for: one full
// upstream page, so that every id found fits in the answer.
const maxIDsPerCall = restclient.MaxPerPage

// loadLog returns the log with that id, or nil when the gateway has none.
func (l *Loaders) loadLog(ctx context.Context, accountID, gatewayID, logID string) (*restclient.Log, error) {
	k := logKey{accountID: accountID, gatewayID: gatewayID, logID: logID}
	l.primeListed(ctx, k)
	return l.logs.Load(ctx, k)()
}

// loadLogsByID groups the batch per gateway into `id eq [ids…]` list calls of
// up to 50 ids and runs them all concurrently: 120 ids over 3 gateways cost
// 3 calls when each gateway has 40, and never more than ⌈n/50⌉ per gateway.
func (l *Loaders) loadLogsByID(ctx context.Context, keys []logKey) []*dataloader.Result[*restclient.Log] {
	l.observer.BatchSize("logsByID", len(keys))
	type gatewayRef struct{ accountID, gatewayID string }
	groups := map[gatewayRef][]int{} // gateway → indexes into keys
	var order []gatewayRef
	for i, k := range keys {
		g := gatewayRef{k.accountID, k.gatewayID}
		if _, seen := groups[g]; !seen {
			order = append(order, g)
		}
		groups[g] = append(groups[g], i)
	}

	out := make([]*dataloader.Result[*restclient.Log], len(keys))
	var wg sync.WaitGroup
	for _, g := range order {
		idx := groups[g]
		for len(idx) > 0 {
			chunk := idx[:min(len(idx), maxIDsPerCall)]
			idx = idx[len(chunk):]
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.fetchChunk(ctx, g.accountID, g.gatewayID, keys, chunk, out)
			}()
		}
	}
	wg.Wait()
	return out
}

func (l *Loaders) fetchChunk(ctx context.Context, accountID, gatewayID string, keys []logKey, chunk []int, out []*dataloader.Result[*restclient.Log]) {
	ids := make([]any, len(chunk))
	for j, i := range chunk {
		ids[j] = keys[i].logID
	}
	params := restclient.ListLogsParams{
		PerPage: restclient.MaxPerPage,
		Filters: []restclient.Filter{{Key: restclient.KeyID, Operator: restclient.OpEq, Values: ids}},
	}
	var page *restclient.LogPage
	err := l.call(ctx, func(ctx context.Context) (err error) {
		page, err = l.upstream.ListLogs(ctx, l.creds, accountID, gatewayID, params)
		return err
	})
	found := map[string]*restclient.Log{}
	if err == nil {
		for i := range page.Logs {
			found[page.Logs[i].ID] = &page.Logs[i]
		}
	}
	for _, i := range chunk {
		// A missing id is not an error: the log simply does not exist.
		out[i] = &dataloader.Result[*restclient.Log]{Data: found[keys[i].logID], Error: err}
	}
}
