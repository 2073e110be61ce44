package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/aigw/gqlfacade/restclient"
)

// pageCall identifies a list call by its canonical query string, which is
// what makes two identical calls (aliases, repeated gateways) one.
type pageCall struct{ accountID, gatewayID, query string }

// pageCalls makes each distinct upstream list call of a request once: a
// call asked for again while or after it runs (an identical alias, the
// same page of two connections) shares its answer or its error. It stands
// where a dataloader with batches of one stood: list calls gain nothing
// from waiting for company, and the dataloader started a batch goroutine
// and a timer goroutine for every page, two hand-overs that showed in the
// CPU of every request (docs/architecture.md, The fast path).
type pageCalls struct {
	mu    sync.Mutex
	calls map[pageCall]*pageResult
}

type pageResult struct {
	done chan struct{} // closed once page and err are set
	page *restclient.LogPage
	err  error
}

// loadPages makes (or joins) the list calls of params, concurrently, and
// returns their pages in order, or the first error in that order. The
// calls this request has not made yet run here, the last in this goroutine
// and the others beside it.
func (l *Loaders) loadPages(ctx context.Context, accountID, gatewayID string, params []restclient.ListLogsParams) ([]*restclient.LogPage, error) {
	results := make([]*pageResult, len(params))
	var mine []int // indexes of the calls this caller makes
	l.pages.mu.Lock()
	for i, p := range params {
		q, err := p.Encode()
		if err != nil {
			l.pages.mu.Unlock()
			return nil, err
		}
		key := pageCall{accountID, gatewayID, q}
		r := l.pages.calls[key]
		if r == nil {
			if l.pages.calls == nil {
				l.pages.calls = map[pageCall]*pageResult{}
			}
			r = &pageResult{done: make(chan struct{})}
			l.pages.calls[key] = r
			mine = append(mine, i)
		}
		results[i] = r
	}
	l.pages.mu.Unlock()

	var wg sync.WaitGroup
	for n, i := range mine {
		if n == len(mine)-1 {
			l.listPage(ctx, accountID, gatewayID, params[i], results[i], false)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.listPage(ctx, accountID, gatewayID, params[i], results[i], true)
		}()
	}
	wg.Wait()
	out := make([]*restclient.LogPage, len(params))
	for i, r := range results {
		<-r.done // the calls other connections of the request are making
		if r.err != nil {
			return nil, r.err
		}
		out[i] = r.page
	}
	return out, nil
}

// listPage makes one list call and publishes its result to every caller
// waiting for it. A panic becomes the call's error for those callers;
// it goes on up in the goroutine that asked (where gqlgen reports it), and
// stops in a goroutine of its own, which nothing above would recover.
func (l *Loaders) listPage(ctx context.Context, accountID, gatewayID string, p restclient.ListLogsParams, r *pageResult, own bool) {
	defer func() {
		if v := recover(); v != nil {
			r.err = fmt.Errorf("list call failed: %v", v)
			close(r.done)
			if !own {
				panic(v)
			}
			return
		}
		close(r.done)
	}()
	l.observer.BatchSize("pages", 1)
	var page *restclient.LogPage
	err := l.call(ctx, func(ctx context.Context) (err error) {
		page, err = l.upstream.ListLogs(ctx, l.creds, accountID, gatewayID, p)
		return err
	})
	r.page, r.err = page, err
	if err == nil {
		l.noteListed(accountID, gatewayID, page.Logs)
	}
}

// forget drops the calls made so far: a later ask makes them again.
func (c *pageCalls) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = nil
}
