package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph/model"
)

// gatewayLog resolves Gateway.log. gqlgen resolves sibling fields each in
// its own goroutine, so aliases (`a: log(…) b: log(…)`) would reach the
// by-id loader apart, and on a busy machine in different batches: the
// first of them reads its siblings' ids from the query and starts them all
// in one batch, which the others then find in the loader's cache.
func (r *Resolver) gatewayLog(ctx context.Context, gw *model.Gateway, logID string) (*model.Log, error) {
	if l, err := loadersFor(ctx); err == nil {
		keys := siblingLogKeys(ctx, gw)
		l.primeListed(ctx, keys...)
		l.logsNow.start(ctx, keys)
	}
	return r.logByID(ctx, gw, logID)
}

// siblingLogKeys are the lookups of every `log(logId:)` field selected on
// gw beside the one being resolved, itself included. Ids that are not
// valid are left to their own field to report.
func siblingLogKeys(ctx context.Context, gw *model.Gateway) []logKey {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Parent == nil || fc.Parent.Field.Field == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var keys []logKey
	for _, f := range graphql.CollectFields(op, fc.Parent.Field.Selections, []string{"AIGateway", "Node", "_Entity"}) {
		if f.Name != "log" {
			continue
		}
		if id, _ := f.ArgumentMap(op.Variables)["logId"].(string); id != "" && len(id) <= 128 {
			keys = append(keys, logKey{accountID: gw.AccountID, gatewayID: gw.GatewayID, logID: id})
		}
	}
	return keys
}
