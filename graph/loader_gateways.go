package graph

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

type gatewayKey struct{ accountID, gatewayID string }

// errGatewayNotFound is what a lookup answers for a gateway the account lacks.
var errGatewayNotFound = codedError(CodeNotFound, "no such gateway")

// loadGateways fetches gateway configurations. One gateway costs one GET.
// Several of one account cost one List Gateways call (100 a page), which
// holds them all unless the account has more than 100 gateways; any still
// missing then are fetched by GET, concurrently.
func (l *Loaders) loadGateways(ctx context.Context, keys []gatewayKey) []*dataloader.Result[*restclient.Gateway] {
	l.observer.BatchSize("gateways", len(keys))
	byAccount := map[string][]int{}
	var accounts []string
	for i, k := range keys {
		if _, seen := byAccount[k.accountID]; !seen {
			accounts = append(accounts, k.accountID)
		}
		byAccount[k.accountID] = append(byAccount[k.accountID], i)
	}
	out := make([]*dataloader.Result[*restclient.Gateway], len(keys))
	eachConcurrently(len(accounts), func(a int) {
		idx := byAccount[accounts[a]]
		missing := idx
		if len(idx) > 1 {
			missing = l.listGateways(ctx, keys, idx, out)
		}
		eachConcurrently(len(missing), func(j int) {
			i := missing[j]
			var g *restclient.Gateway
			err := l.call(ctx, func(ctx context.Context) (err error) {
				g, err = l.upstream.GetGateway(ctx, l.creds, keys[i].accountID, keys[i].gatewayID)
				return err
			})
			if restclient.IsNotFound(err) {
				err = errGatewayNotFound
			}
			out[i] = &dataloader.Result[*restclient.Gateway]{Data: g, Error: err}
		})
	})
	return out
}

// listGateways answers what one List Gateways page can and returns the
// indexes it could not: those to fetch one by one.
func (l *Loaders) listGateways(ctx context.Context, keys []gatewayKey, idx []int, out []*dataloader.Result[*restclient.Gateway]) []int {
	var page *restclient.GatewayPage
	err := l.call(ctx, func(ctx context.Context) (err error) {
		page, err = l.upstream.ListGateways(ctx, l.creds, keys[idx[0]].accountID, restclient.ListGatewaysParams{Page: 1, PerPage: restclient.MaxGatewaysPerPage})
		return err
	})
	if err != nil {
		for _, i := range idx {
			out[i] = &dataloader.Result[*restclient.Gateway]{Error: err}
		}
		return nil
	}
	found := map[string]*restclient.Gateway{}
	for i := range page.Gateways {
		found[page.Gateways[i].ID] = &page.Gateways[i]
	}
	complete := page.HasInfo && page.Info.TotalCount <= len(page.Gateways)
	var missing []int
	for _, i := range idx {
		switch g := found[keys[i].gatewayID]; {
		case g != nil:
			out[i] = &dataloader.Result[*restclient.Gateway]{Data: g}
		case complete:
			out[i] = &dataloader.Result[*restclient.Gateway]{Error: errGatewayNotFound}
		default:
			missing = append(missing, i)
		}
	}
	return missing
}

// gatewayConfig returns the configuration of a gateway through the loader.
func gatewayConfig(ctx context.Context, gw *model.Gateway) (*restclient.Gateway, error) {
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	g, err := l.gateways.Load(ctx, gatewayKey{accountID: gw.AccountID, gatewayID: gw.GatewayID})()
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	return g, nil
}

// gatewayField resolves one configuration field of a gateway: every such
// field of every gateway in the request shares the loader's batch.
func gatewayField[T any](ctx context.Context, gw *model.Gateway, pick func(*restclient.Gateway) T) (T, error) {
	g, err := gatewayConfig(ctx, gw)
	if err != nil {
		var zero T
		return zero, err
	}
	return pick(g), nil
}
