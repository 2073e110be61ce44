package graph

import (
	"context"
	"encoding/json"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// logDetailField resolves one detail field of a log (GET …/logs/{id}):
// all detail fields of one log share one call, and the calls of many logs
// run concurrently through the detail loader.
func logDetailField[T any](ctx context.Context, lg *model.Log, pick func(*restclient.LogDetail) T) (T, error) {
	var zero T
	l, err := loadersFor(ctx)
	if err != nil {
		return zero, err
	}
	d, err := l.details.Load(ctx, logKey{accountID: lg.AccountID, gatewayID: lg.GatewayID, logID: lg.Raw.ID})()
	if err != nil {
		return zero, toGraphQLError(ctx, err)
	}
	return pick(d), nil
}

// logBody resolves requestBody or responseBody: the stored JSON as is.
func logBody(ctx context.Context, lg *model.Log, response bool) (any, error) {
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	key := bodyKey{log: logKey{accountID: lg.AccountID, gatewayID: lg.GatewayID, logID: lg.Raw.ID}, response: response}
	body, err := l.bodies.Load(ctx, key)()
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	if len(body) == 0 {
		return nil, nil
	}
	return json.RawMessage(body), nil
}
