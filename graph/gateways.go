package graph

import (
	"context"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// gatewayLimits: List Gateways pages hold up to 100 gateways.
var gatewayLimits = paging.Limits{DefaultSize: 20, MaxSize: restclient.MaxGatewaysPerPage}

// gatewayProbe is the page fetched first for `last` without `before`: a
// full page tells the total when List Gateways sends one, the end of the
// list when it is short, and in both cases may already hold the window.
var gatewayProbe = paging.Page{Number: 1, Size: restclient.MaxGatewaysPerPage}

// gatewayConnection lists an account's gateways (List Gateways), choosing
// page sizes as for logs, and primes the gateway loader so that selecting
// configuration fields costs nothing more.
func (r *Resolver) gatewayConnection(ctx context.Context, accountID *string, args paging.Args, search *string) (*model.GatewayConnection, error) {
	account, err := r.accountID(accountID)
	if err != nil {
		return nil, err
	}
	if err := checkSearch(search); err != nil {
		return nil, err
	}
	s := ""
	if search != nil {
		s = *search
	}
	now := r.now() // List Gateways has no snapshot filter: the instant is only the cursors'
	walk := paging.Walk{Query: paging.HashQuery("gateways", account, s), Now: now, Snapshot: now, Cursors: r.cursors()}
	req, err := paging.Parse(args, gatewayLimits, walk)
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	list := func(pages []paging.Page) ([]*restclient.GatewayPage, error) {
		results := make([]*restclient.GatewayPage, len(pages))
		errs := make([]error, len(pages))
		eachConcurrently(len(pages), func(i int) {
			errs[i] = l.call(ctx, func(ctx context.Context) (err error) {
				results[i], err = l.upstream.ListGateways(ctx, l.creds, account, restclient.ListGatewaysParams{Page: pages[i].Number, PerPage: pages[i].Size, Search: s})
				return err
			})
		})
		for _, err := range errs {
			if err != nil {
				return nil, toGraphQLError(ctx, err)
			}
		}
		return results, nil
	}

	var known []paging.Page
	var knownResults []*restclient.GatewayPage
	total := -1 // unknown
	if req.NeedsTotal() {
		if knownResults, err = list([]paging.Page{gatewayProbe}); err != nil {
			return nil, err
		}
		known = []paging.Page{gatewayProbe}
		if total = listEnd(gatewayProbe, knownResults[0]); total < 0 {
			return nil, badInput("gateways: last without before needs the number of gateways, which the upstream does not tell, and there are 100 or more: page forward with first and after instead")
		}
	}
	start, end := req.Window(total)
	if total >= 0 {
		end = min(end, total)
		start = min(start, end)
	}
	pages, results := known, knownResults
	if !covers(known, start, end) {
		pages = paging.PlanPagesUpTo(start, end, restclient.MaxGatewaysPerPage)
		if len(pages) == 0 && known != nil {
			pages = known // an empty window at the end the probe found
		} else {
			if len(pages) == 0 {
				pages = []paging.Page{{Number: 1, Size: 1}} // an empty window still tells the total
			}
			if results, err = list(pages); err != nil {
				return nil, err
			}
		}
	}
	items := make([][]restclient.Gateway, len(pages))
	for i := range pages {
		items[i] = results[i].Gateways
	}
	all := paging.Assemble(pages, items, start, end)
	conn := &model.GatewayConnection{Start: start, Req: req}
	if results[0].HasInfo {
		t := max(results[0].Info.TotalCount, 0)
		conn.Total, total = &t, t
	}
	if total >= 0 {
		conn.HasNext = start+len(all) < total
	} else {
		// Without a total, a full window is taken to have a next page.
		conn.HasNext = end > start && len(all) == end-start
	}
	for i := range all {
		g := &all[i]
		conn.Gateways = append(conn.Gateways, &model.Gateway{AccountID: account, GatewayID: g.ID})
		l.gateways.Prime(ctx, gatewayKey{accountID: account, gatewayID: g.ID}, g)
	}
	return conn, nil
}

// listEnd is the number of gateways in the list as page tells it: the
// upstream's total when it sends one, else where a short page ends the
// list; -1 when a full page without a total leaves it unknown.
func listEnd(pg paging.Page, res *restclient.GatewayPage) int {
	switch {
	case res.HasInfo:
		return max(res.Info.TotalCount, 0)
	case len(res.Gateways) < pg.Size:
		return pg.Offset() + len(res.Gateways)
	}
	return -1
}
