package graph

import (
	"context"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// gatewayLimits: List Gateways pages hold up to 100 gateways.
var gatewayLimits = paging.Limits{DefaultSize: 20, MaxSize: restclient.MaxGatewaysPerPage}

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
	start, end := req.Window(0)
	pages := paging.PlanPagesUpTo(start, end, restclient.MaxGatewaysPerPage)
	if len(pages) == 0 {
		pages = []paging.Page{{Number: 1, Size: 1}} // an empty window still tells the total
	}
	results := make([]*restclient.GatewayPage, len(pages))
	errs := make([]error, len(pages))
	eachConcurrently(len(pages), func(i int) {
		errs[i] = l.call(ctx, func(ctx context.Context) (err error) {
			results[i], err = l.upstream.ListGateways(ctx, l.creds, account, restclient.ListGatewaysParams{Page: pages[i].Number, PerPage: pages[i].Size, Search: s})
			return err
		})
	})
	items := make([][]restclient.Gateway, len(pages))
	for i := range pages {
		if errs[i] != nil {
			return nil, toGraphQLError(ctx, errs[i])
		}
		items[i] = results[i].Gateways
	}
	all := paging.Assemble(pages, items, start, end)
	conn := &model.GatewayConnection{Start: start, Req: req}
	if results[0].HasInfo {
		total := results[0].Info.TotalCount
		conn.Total, conn.HasNext = &total, start+len(all) < total
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
