package graph

import (
	"context"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/aigw/gqlfacade/graph/globalid"
	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// updateLog records feedback, a score or metadata on a log (PATCH), then
// reads the log back so the answer shows what the upstream now holds. The
// token needs the "AI Gateway Write" permission; a read-only one gets
// FORBIDDEN from the upstream.
func (r *Resolver) updateLog(ctx context.Context, id string, feedback, score *int, metadata any) (*model.Log, error) {
	ref, err := decodeNodeID(id)
	if err != nil {
		return nil, err
	}
	if ref.Kind != globalid.KindLog {
		return nil, badInput("id must be the global id of an AIGatewayLog")
	}
	update, err := logUpdate(feedback, score, metadata)
	if err != nil {
		return nil, err
	}
	update.Clear = nulledArguments(ctx, "feedback", "score", "metadata")
	if update.Feedback == nil && update.Score == nil && update.Metadata == nil && len(update.Clear) == 0 {
		return nil, badInput("give at least one of feedback, score or metadata (null clears it)")
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	err = l.call(ctx, func(ctx context.Context) error {
		return l.upstream.UpdateLog(ctx, l.creds, ref.AccountID, ref.GatewayID, ref.LogID, update)
	})
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	key := logKey{accountID: ref.AccountID, gatewayID: ref.GatewayID, logID: ref.LogID}
	l.forgetLog(ctx, key) // whatever this request read before is stale now
	return r.logByID(ctx, &model.Gateway{AccountID: ref.AccountID, GatewayID: ref.GatewayID}, ref.LogID)
}

// logUpdate validates the mutation's input as the API does: feedback -1..1,
// score 0..100, metadata an object of strings, numbers and booleans.
func logUpdate(feedback, score *int, metadata any) (restclient.LogUpdate, error) {
	var u restclient.LogUpdate
	if feedback != nil {
		if *feedback < -1 || *feedback > 1 {
			return u, badInput(fmt.Sprintf("feedback must be -1, 0 or 1 (got %d)", *feedback))
		}
		f := float64(*feedback)
		u.Feedback = &f
	}
	if score != nil {
		if *score < 0 || *score > 100 {
			return u, badInput(fmt.Sprintf("score must be from 0 to 100 (got %d)", *score))
		}
		s := float64(*score)
		u.Score = &s
	}
	if metadata != nil {
		m, ok := metadata.(map[string]any)
		if !ok {
			return u, badInput("metadata must be an object")
		}
		for k, v := range m {
			switch x := v.(type) {
			case string, bool, int, int64:
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return u, badInput(fmt.Sprintf("metadata.%s must be a finite number", k))
				}
			default:
				if _, isNum := v.(interface{ Float64() (float64, error) }); !isNum {
					return u, badInput(fmt.Sprintf("metadata.%s must be a string, number or boolean", k))
				}
			}
		}
		u.Metadata = m
	}
	return u, nil
}

// nulledArguments lists which of names the field was given as null, a
// literal null or a variable set to null, as distinct from not given at
// all: gqlgen hands both to the resolver as nil.
func nulledArguments(ctx context.Context, names ...string) []string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	given := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	var out []string
	for _, n := range names {
		if v, ok := given[n]; ok && v == nil {
			out = append(out, n)
		}
	}
	return out
}
