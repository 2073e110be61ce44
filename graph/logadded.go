package graph

import (
	"context"
	"errors"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// tailQuery is a logAdded subscription, validated.
type tailQuery struct {
	q    tail.Query
	hash paging.QueryHash // binds the tail's cursors to it
	// filters are the subscriber's, for reading a connection's cursor.
	filters filterSet
}

// logAdded subscribes to the new logs of a gateway (Subscription.logAdded).
// Everything is checked before anything is started: the credential, the
// ids, the filter and `after`; then the tail's events are streamed to
// gqlgen until the client leaves or the tail ends the subscription.
func (r *Resolver) logAdded(ctx context.Context, gatewayID string, accountID *string, filter *model.AIGatewayLogFilter, after *string) (<-chan *model.Log, error) {
	metas, _ := ctx.Value(eventsKey{}).(chan eventMeta)
	if r.Tail == nil || metas == nil {
		return nil, codedError(CodeInternalServerError, "subscriptions are not served here")
	}
	tq, err := r.tailQuery(ctx, gatewayID, accountID, filter)
	if err != nil {
		return nil, err
	}
	from, err := r.resumeFrom(ctx, tq, after)
	if err != nil {
		return nil, err
	}
	sub, err := r.Tail.Subscribe(tq.q, from)
	if err != nil {
		return nil, subscriptionRefused(err)
	}
	out := make(chan *model.Log)
	go r.stream(ctx, sub, tq, metas, out)
	return out, nil
}

func (r *Resolver) tailQuery(ctx context.Context, gatewayID string, accountID *string, filter *model.AIGatewayLogFilter) (tailQuery, error) {
	creds, err := credentialsFor(ctx, r.Config.ServerToken)
	if err != nil {
		return tailQuery{}, err
	}
	account, err := r.accountID(accountID)
	if err != nil {
		return tailQuery{}, err
	}
	if err := restclient.ValidateGatewayID(gatewayID); err != nil {
		return tailQuery{}, badInput("gatewayId: " + err.Error())
	}
	filters, err := translateFilter(filter)
	if err != nil {
		return tailQuery{}, err
	}
	identity, err := filters.identity()
	if err != nil {
		return tailQuery{}, badInput("filter: " + err.Error())
	}
	return tailQuery{
		q:       tail.Query{Creds: creds, AccountID: account, GatewayID: gatewayID, Filters: filters.conditions()},
		hash:    paging.HashQuery("tail", account, gatewayID, identity),
		filters: filters,
	}, nil
}

// stream hands the tail's events to gqlgen, each with its eventMeta, until
// the client leaves (ctx) or the tail ends the subscription: that end is
// told as a last event, with the cursor to resume from.
func (r *Resolver) stream(ctx context.Context, sub *tail.Subscription, tq tailQuery, metas chan<- eventMeta, out chan<- *model.Log) {
	defer close(out)
	defer sub.Close()
	send := func(m eventMeta, l *model.Log) bool {
		select {
		case metas <- m:
		case <-ctx.Done():
			return false
		}
		select {
		case out <- l:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		ev, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() == nil {
				send(eventMeta{cursor: r.tailCursor(tq, sub.Position()), err: subscriptionEnded(err)}, nil)
			}
			return
		}
		cursor := r.tailCursor(tq, ev.Position)
		if ev.Notice != nil {
			if !send(eventMeta{cursor: cursor, err: tailError(ev.Notice)}, nil) {
				return
			}
			continue
		}
		if !send(eventMeta{cursor: cursor}, &model.Log{AccountID: tq.q.AccountID, GatewayID: tq.q.GatewayID, Raw: ev.Log}) {
			return
		}
	}
}

// tailCursor is the cursor of a tail's position.
func (r *Resolver) tailCursor(tq tailQuery, p tail.Position) string {
	return r.cursors().EncodeTail(paging.TailCursor{At: p.At.UnixMilli(), Query: tq.hash, IDs: p.IDs})
}

// subscriptionRefused is the error of a subscription the tail would not
// start.
func subscriptionRefused(err error) *gqlerror.Error {
	if tooMany, ok := errors.AsType[*tail.TooManyError](err); ok {
		return tooExpensive("this credential already holds as many subscriptions as it may; end one first",
			map[string]any{"subscriptions": tooMany.Limit, "maxSubscriptions": tooMany.Limit})
	}
	return subscriptionEnded(err)
}

// subscriptionEnded is the error of the last event of a subscription the
// tail ended.
func subscriptionEnded(err error) *gqlerror.Error {
	switch {
	case errors.Is(err, tail.ErrSlowSubscriber):
		return codedError(CodeSlowSubscriber, "the subscription fell behind the logs it was sent and was ended: subscribe again with after: the last extensions.cursor received")
	case errors.Is(err, tail.ErrShutdown):
		return codedError(CodeServiceUnavailable, "the server is shutting down: subscribe again (to another replica) with after: the last extensions.cursor received")
	}
	return tailError(err)
}

// tailError maps an upstream failure met by the tail.
func tailError(err error) *gqlerror.Error {
	var out *gqlerror.Error
	if !errors.As(toGraphQLError(context.Background(), err), &out) {
		out = codedError(CodeInternalServerError, "the subscription failed")
	}
	return out
}
