package graph

import (
	"context"
	"sync"

	"github.com/aigw/gqlfacade/restclient"
)

// listedLogs are the logs this request's list calls returned, so that a
// lookup by id later in the request (nodes, Gateway.log, the log a
// mutation answers) reuses a listed log instead of asking upstream. They
// are indexed when the first lookup comes, and only then put in the by-id
// loader: most requests make none, and priming the loader with every
// listed log cost a cache entry and a closure for each log of every page.
type listedLogs struct {
	mu      sync.Mutex
	pages   []listedPage
	indexed int                        // pages[:indexed] are in byKey
	byKey   map[logKey]*restclient.Log // the first listing of each log
	// stale holds logs this request changed: listings made before the
	// change (pages[:stale[k]]) no longer answer for them.
	stale map[logKey]int
}

type listedPage struct {
	accountID, gatewayID string
	logs                 []restclient.Log
}

// noteListed records a page of logs a list call returned.
func (l *Loaders) noteListed(accountID, gatewayID string, logs []restclient.Log) {
	ls := &l.listed
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.pages = append(ls.pages, listedPage{accountID, gatewayID, logs})
}

// primeListed gives the by-id loader the listed logs among keys, before
// they are looked up. A key already in the loader keeps what it has.
func (l *Loaders) primeListed(ctx context.Context, keys ...logKey) {
	ls := &l.listed
	ls.mu.Lock()
	if len(ls.pages) == 0 {
		ls.mu.Unlock()
		return
	}
	for ; ls.indexed < len(ls.pages); ls.indexed++ {
		p := &ls.pages[ls.indexed]
		for i := range p.logs {
			k := logKey{accountID: p.accountID, gatewayID: p.gatewayID, logID: p.logs[i].ID}
			if _, ok := ls.byKey[k]; ok || ls.stale[k] > ls.indexed {
				continue
			}
			if ls.byKey == nil {
				ls.byKey = map[logKey]*restclient.Log{}
			}
			ls.byKey[k] = &p.logs[i]
		}
	}
	found := make([]*restclient.Log, len(keys))
	for i, k := range keys {
		found[i] = ls.byKey[k]
	}
	ls.mu.Unlock()
	for i, k := range keys {
		if found[i] != nil {
			l.logs.Prime(ctx, k, found[i])
		}
	}
}

// forgetLog drops what the request knows of a log it has just changed:
// the next lookup asks upstream.
func (l *Loaders) forgetLog(ctx context.Context, k logKey) {
	ls := &l.listed
	ls.mu.Lock()
	delete(ls.byKey, k)
	if ls.stale == nil {
		ls.stale = map[logKey]int{}
	}
	ls.stale[k] = len(ls.pages)
	ls.mu.Unlock()
	l.logs.Clear(ctx, k)
}

// forgetListed drops every listing: after a deletion, none may answer.
func (ls *listedLogs) forgetListed() {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.pages, ls.indexed, ls.byKey, ls.stale = nil, 0, nil, nil
}
