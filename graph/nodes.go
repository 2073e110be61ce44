package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"

	"github.com/aigw/gqlfacade/graph/globalid"
	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// gatewayRef validates a gateway's ids; building a Gateway costs no call.
func (r *Resolver) gatewayRef(accountID *string, gatewayID string) (*model.Gateway, error) {
	account, err := r.accountID(accountID)
	if err != nil {
		return nil, err
	}
	if err := restclient.ValidateGatewayID(gatewayID); err != nil {
		return nil, badInput("gatewayId: " + err.Error())
	}
	return &model.Gateway{AccountID: account, GatewayID: gatewayID}, nil
}

// decodeNodeID turns a global id into a validated reference.
func decodeNodeID(s string) (globalid.ID, error) {
	id, err := globalid.Decode(s)
	if err != nil {
		return id, badInput(fmt.Sprintf("%q is not a global id issued by this service", s))
	}
	if restclient.ValidateAccountID(id.AccountID) != nil || restclient.ValidateGatewayID(id.GatewayID) != nil {
		return id, badInput(fmt.Sprintf("%q is not a global id issued by this service", s))
	}
	return id, nil
}

// nodes resolves global ids in order. Every id is checked before any call,
// and all log lookups start together, in one batch (batchNow): grouped per
// gateway into `id in [...]` calls.
func (r *Resolver) nodes(ctx context.Context, raw []string) ([]model.Node, error) {
	if len(raw) == 0 {
		return nil, badInput("ids must hold at least one id")
	}
	if len(raw) > r.Config.MaxNodes {
		return nil, badInput(fmt.Sprintf("ids may hold at most %d ids (got %d)", r.Config.MaxNodes, len(raw)))
	}
	ids := make([]globalid.ID, len(raw))
	needsLoader := false
	for i, s := range raw {
		id, err := decodeNodeID(s)
		if err != nil {
			return nil, err
		}
		ids[i] = id
		needsLoader = needsLoader || id.Kind == globalid.KindLog
	}
	out := make([]model.Node, len(ids))
	prefetchGatewayConfigs(ctx, ids)
	if !needsLoader {
		for i, id := range ids {
			out[i] = &model.Gateway{AccountID: id.AccountID, GatewayID: id.GatewayID}
		}
		return out, nil
	}
	logs, errs, err := loadLogsTogether(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		switch {
		case id.Kind == globalid.KindGateway:
			out[i] = &model.Gateway{AccountID: id.AccountID, GatewayID: id.GatewayID}
		case errs[i] != nil:
			return nil, errs[i]
		case logs[i] != nil:
			out[i] = logs[i]
		}
	}
	return out, nil
}

// loadLogsTogether looks up the logs among ids in one batch (batchNow),
// grouped per gateway into `id in [...]` calls. It returns, per id, the
// log (nil where the id is not a log's or the log does not exist) and the
// error of its lookup, as a GraphQL error.
func loadLogsTogether(ctx context.Context, ids []globalid.ID) ([]*model.Log, []error, error) {
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, nil, err
	}
	var keys []logKey
	for _, id := range ids {
		if id.Kind == globalid.KindLog {
			keys = append(keys, logKey{accountID: id.AccountID, gatewayID: id.GatewayID, logID: id.LogID})
		}
	}
	l.primeListed(ctx, keys...)
	l.logsNow.start(ctx, keys)
	thunks := make([]dataloader.Thunk[*restclient.Log], len(ids))
	for i, id := range ids {
		if id.Kind == globalid.KindLog {
			thunks[i] = l.logs.Load(ctx, logKey{accountID: id.AccountID, gatewayID: id.GatewayID, logID: id.LogID})
		}
	}
	logs := make([]*model.Log, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		if thunks[i] == nil {
			continue
		}
		raw, err := thunks[i]()
		switch {
		case err != nil:
			errs[i] = toGraphQLError(ctx, err)
		case raw != nil:
			logs[i] = &model.Log{AccountID: id.AccountID, GatewayID: id.GatewayID, Raw: raw}
		}
	}
	return logs, errs, nil
}

// logByID looks one log up through the request's batching loader.
func (r *Resolver) logByID(ctx context.Context, gw *model.Gateway, logID string) (*model.Log, error) {
	if logID == "" || len(logID) > 128 {
		return nil, badInput("logId must be 1 to 128 characters")
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	raw, err := l.loadLog(ctx, gw.AccountID, gw.GatewayID, logID)
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	if raw == nil {
		return nil, nil
	}
	return &model.Log{AccountID: gw.AccountID, GatewayID: gw.GatewayID, Raw: raw}, nil
}

// prefetchGatewayConfigs starts the configuration lookups of all the
// gateways among ids in one batch, when configuration fields are selected:
// each field would start its own lookup later, and lookups that arrive
// apart can miss one another's batch.
func prefetchGatewayConfigs(ctx context.Context, ids []globalid.ID) {
	if !selectsGatewayConfig(ctx) {
		return
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return // the fields themselves will report it
	}
	var keys []gatewayKey
	for _, id := range ids {
		if id.Kind == globalid.KindGateway {
			keys = append(keys, gatewayKey{accountID: id.AccountID, gatewayID: id.GatewayID})
		}
	}
	l.gatewaysNow.start(ctx, keys)
}

// selectsGatewayConfig reports whether the current field selects any
// configuration field on the Gateways it returns.
func selectsGatewayConfig(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return false
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{"AIGateway", "Node"}) {
		if callGroup(f.Field) == "gatewayConfig" {
			return true
		}
	}
	return false
}
