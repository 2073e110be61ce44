package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// account answers Query.account: only the validated id, no upstream call.
func (r *Resolver) account(accountID *string) (*model.AIGatewayAccount, error) {
	id, err := r.accountID(accountID)
	if err != nil {
		return nil, err
	}
	return &model.AIGatewayAccount{AccountID: id}, nil
}

// maxWalkGateways is the most gateways one walk merges.
func (r *Resolver) maxWalkGateways() int { return walkLimit(r.Config) }

// walkGatewayIDs checks the gateways a client named for a walk and returns
// them sorted: the set, not the order given, is what the walk (and so its
// cursors) depends on.
func (r *Resolver) walkGatewayIDs(ids []string) ([]string, error) {
	limit := r.maxWalkGateways()
	switch {
	case len(ids) == 0:
		return nil, badInput("gatewayIds: give at least one gateway id, or leave gatewayIds out to merge every gateway of the account")
	case len(ids) > limit:
		return nil, badInput(fmt.Sprintf("gatewayIds: one walk merges at most %d gateways (got %d)", limit, len(ids)))
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if err := restclient.ValidateGatewayID(id); err != nil {
			return nil, badInput(fmt.Sprintf("gatewayIds[%d]: %v", i, err))
		}
		if seen[id] {
			return nil, badInput(fmt.Sprintf("gatewayIds: %q is given more than once", id))
		}
		seen[id] = true
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	return sorted, nil
}

// accountGatewayPages are the List Gateways pages that tell whether an
// account has more gateways than a walk may merge: the first limit+1 of
// the list. They do not rely on the upstream's total, which List Gateways
// may leave out: a list that ends within them is short.
func accountGatewayPages(limit int) []paging.Page {
	return paging.PlanPagesUpTo(0, limit+1, restclient.MaxGatewaysPerPage)
}

// accountGatewayIDs lists every gateway of an account for a walk that names
// none, sorted; an account with more than the walk's limit is refused.
func (r *Resolver) accountGatewayIDs(ctx context.Context, l *Loaders, accountID string) ([]string, error) {
	limit := r.maxWalkGateways()
	pages := accountGatewayPages(limit)
	results := make([]*restclient.GatewayPage, len(pages))
	errs := make([]error, len(pages))
	eachConcurrently(len(pages), func(i int) {
		errs[i] = l.call(ctx, func(ctx context.Context) (err error) {
			results[i], err = l.upstream.ListGateways(ctx, l.creds, accountID, restclient.ListGatewaysParams{Page: pages[i].Number, PerPage: pages[i].Size})
			return err
		})
	})
	for _, err := range errs {
		if err != nil {
			return nil, toGraphQLError(ctx, err)
		}
	}
	items := make([][]restclient.Gateway, len(pages))
	for i, res := range results {
		items[i] = res.Gateways
	}
	gateways := paging.Assemble(pages, items, 0, limit+1)
	if len(gateways) > limit {
		return nil, badInput(fmt.Sprintf("account %s has more than %d gateways, the most one walk merges (-max-walk-gateways): pass gatewayIds", accountID, limit))
	}
	ids := make([]string, len(gateways))
	for i, g := range gateways {
		ids[i] = g.ID
	}
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		// The list holds a gateway twice: its pages moved while they were
		// read. A walk over it would count that gateway's logs twice.
		return nil, codedError(CodeUpstreamError, "the upstream listed a gateway twice; try again")
	}
	return ids, nil
}
