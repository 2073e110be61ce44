package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph/globalid"
	"github.com/aigw/gqlfacade/graph/model"
)

// Federation's _entities reaches our objects here. gqlgen hands each
// resolver all the representations of one key at once, so their lookups
// start together, as for `nodes`. A representation that is not valid fails
// alone (a per-index error, graphql.BatchErrorList): the gateway gets the
// other entities of the batch.

// gatewayRefs resolves gateways by their account and gateway ids. A
// gateway is its ids, so this costs no call; when configuration fields are
// selected, their lookups start together.
func (r *Resolver) gatewayRefs(ctx context.Context, reps []*model.AIGatewayByAccountIDAndGatewayIDsInput) ([]*model.Gateway, error) {
	out := make([]*model.Gateway, len(reps))
	errs := make(graphql.BatchErrorList, len(reps))
	ids := make([]globalid.ID, 0, len(reps))
	for i, rep := range reps {
		g, err := r.gatewayRef(&rep.AccountID, rep.GatewayID)
		if err != nil {
			errs[i] = err
			continue
		}
		out[i] = g
		ids = append(ids, globalid.ID{Kind: globalid.KindGateway, AccountID: g.AccountID, GatewayID: g.GatewayID})
	}
	prefetchGatewayConfigs(ctx, ids)
	return out, batchErrors(errs)
}

// gatewaysByGlobalID resolves gateways by the global id `AIGateway.id`
// gives, for a subgraph or gateway plugin that owns Relay's node field.
func (r *Resolver) gatewaysByGlobalID(ctx context.Context, reps []*model.AIGatewayByIDsInput) ([]*model.Gateway, error) {
	out := make([]*model.Gateway, len(reps))
	errs := make(graphql.BatchErrorList, len(reps))
	ids := make([]globalid.ID, 0, len(reps))
	for i, rep := range reps {
		if rep.ID == "" {
			errs[i] = mixedKeys("AIGateway")
			continue
		}
		id, err := decodeEntityID(rep.ID, globalid.KindGateway, "AIGateway")
		if err != nil {
			errs[i] = err
			continue
		}
		out[i] = &model.Gateway{AccountID: id.AccountID, GatewayID: id.GatewayID}
		ids = append(ids, id)
	}
	prefetchGatewayConfigs(ctx, ids)
	return out, batchErrors(errs)
}

// logsByGlobalID resolves logs by the global id `AIGatewayLog.id` gives:
// one `id in [...]` call per gateway for up to 50 logs, as `nodes` does. A
// log the upstream no longer holds is null.
func (r *Resolver) logsByGlobalID(ctx context.Context, reps []*model.AIGatewayLogByIDsInput) ([]*model.Log, error) {
	errs := make(graphql.BatchErrorList, len(reps))
	ids := make([]globalid.ID, len(reps))
	for i, rep := range reps {
		id, err := decodeEntityID(rep.ID, globalid.KindLog, "AIGatewayLog")
		if err != nil {
			errs[i] = err
			continue // a zero ID is looked up by no one
		}
		ids[i] = id
	}
	logs, lookupErrs, err := loadLogsTogether(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, e := range lookupErrs {
		if e != nil {
			errs[i] = e
		}
	}
	return logs, batchErrors(errs)
}

// decodeEntityID reads a representation's global id, which must name an
// object of the entity's own type.
func decodeEntityID(raw, kind, typeName string) (globalid.ID, error) {
	id, err := decodeNodeID(raw)
	if err != nil {
		return id, err
	}
	if id.Kind != kind {
		return globalid.ID{}, badInput(fmt.Sprintf("%q is not the global id of an %s", raw, typeName))
	}
	return id, nil
}

// mixedKeys explains a representation without the key its batch is
// resolved by: gqlgen resolves every representation of a type in one
// _entities call by the key of the first, so a batch that mixes the
// global id with the account and gateway ids cannot be served whole.
func mixedKeys(typeName string) error {
	return badInput(fmt.Sprintf("this %s representation has no id, while the first %s of the batch gave its id: send one key form per _entities call (all by id, or all by accountId and gatewayId)", typeName, typeName))
}

// batchErrors is nil when no representation failed, so that gqlgen does
// not report an empty batch error.
func batchErrors(errs graphql.BatchErrorList) error {
	for _, e := range errs {
		if e != nil {
			return errs
		}
	}
	return nil
}
