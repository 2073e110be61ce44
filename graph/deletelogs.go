package graph

import (
	"context"
	"fmt"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// deleteLogs deletes, for good, up to limit of the logs the filter selects
// (Delete Gateway Logs). A deletion of every log must be asked for by name
// (all: true): a filter forgotten, or one that sets no condition, must not
// empty a gateway. Everything is checked before the one upstream call,
// which is never retried; a read-only token gets FORBIDDEN from the
// upstream, naming the Write permission.
func (r *Resolver) deleteLogs(ctx context.Context, gatewayID string, accountID *string, filter *model.AIGatewayLogFilter, all *bool, limit *int, orderBy *model.AIGatewayLogOrder) (*model.AIGatewayDeleteLogsResult, error) {
	gw, err := r.gatewayRef(accountID, gatewayID)
	if err != nil {
		return nil, err
	}
	set, err := translateFilter(filter)
	if err != nil {
		return nil, err
	}
	filters := set.conditions()
	everything := all != nil && *all
	switch {
	case len(filters) == 0 && !everything:
		return nil, badInput("deleteLogs needs a filter that sets at least one condition: without one every log of the gateway would be deleted; give all: true (and no filter) to mean that")
	case len(filters) > 0 && everything:
		return nil, badInput("deleteLogs: all: true deletes every log of the gateway; give either a filter or all: true, not both")
	}
	n := restclient.MaxDeleteLogs
	if limit != nil {
		if *limit < 1 || *limit > restclient.MaxDeleteLogs {
			return nil, badInput(fmt.Sprintf("limit must be from 1 to %d (got %d)", restclient.MaxDeleteLogs, *limit))
		}
		n = *limit
	}
	by, dir := restclient.OrderByCreatedAt, restclient.Asc // the upstream's own default for deletion, sent explicitly
	if orderBy != nil {
		by, dir = translateOrder(orderBy)
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	err = l.call(ctx, func(ctx context.Context) error {
		return l.upstream.DeleteLogs(ctx, l.creds, gw.AccountID, gw.GatewayID, restclient.DeleteLogsParams{
			Filters: filters, All: everything, Limit: n, OrderBy: by, Direction: dir,
		})
	})
	// Whatever this request read before may be gone now, even when the
	// call failed in transit after the upstream applied it.
	l.forget()
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	return &model.AIGatewayDeleteLogsResult{Success: true}, nil
}
