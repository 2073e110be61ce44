package graph

import (
	"context"
	"encoding/json"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// streamEvents is the gqlgen extension that serves what a stream needs of
// each response:
//
//   - Loaders for every response that does not have them. An HTTP request
//     gets them for its whole life (WithLoaders); a stream lives for hours,
//     so each of its responses, each event of a subscription, gets its
//     own: nothing is kept from one event to the next. A query or mutation
//     on a stream is bounded by -request-timeout like a request; an event
//     begins by waiting for its log, so its Loaders are made when it has
//     one, and each of its calls is bounded by -upstream-timeout.
//   - For a subscription, the cursor of each event (extensions.cursor)
//     and, for an event that stands for an error, the error itself in
//     place of data.
type streamEvents struct{ r *Resolver }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = streamEvents{}

func (streamEvents) ExtensionName() string                   { return "StreamEvents" }
func (streamEvents) Validate(graphql.ExecutableSchema) error { return nil }

// eventMeta is what a subscription's stream tells of one event, besides
// the log: where the subscriber has come to, and the error the event
// stands for (its log is then nil).
type eventMeta struct {
	cursor string
	err    *gqlerror.Error
}

// eventsKey holds a subscription's hand-off of eventMeta: the stream puts
// one in before it sends the event's log, and the response interceptor
// takes it once the event is written, so that each event meets its own.
type eventsKey struct{}

// streamCalls counts the upstream calls of every response of an
// operation that has no Loaders of its own (UpstreamCalls reads it).
type streamCalls struct{ n atomic.Int64 }

type streamCallsKey struct{}

func (c *streamCalls) add(n int) { c.n.Add(int64(n)) }

func (streamEvents) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if !hasLoaders(ctx) {
		ctx = context.WithValue(ctx, streamCallsKey{}, &streamCalls{})
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		ctx = context.WithValue(ctx, eventsKey{}, make(chan eventMeta, 1))
	}
	return next(ctx)
}

func (e streamEvents) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	metas, _ := ctx.Value(eventsKey{}).(chan eventMeta)
	if !hasLoaders(ctx) {
		if metas != nil {
			ctx = e.r.withLazyLoaders(ctx)
		} else {
			var cancel context.CancelFunc
			ctx, cancel = e.r.withLoaders(ctx)
			defer cancel()
		}
		if calls, _ := ctx.Value(streamCallsKey{}).(*streamCalls); calls != nil {
			defer func() { calls.add(UpstreamCalls(ctx)) }()
		}
	}
	resp := next(ctx)
	if resp == nil || metas == nil {
		return resp
	}
	select {
	case m := <-metas:
		if m.err != nil {
			resp.Data, resp.Errors = json.RawMessage("null"), gqlerror.List{m.err}
		}
		if m.cursor != "" {
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["cursor"] = m.cursor
		}
	default: // a response that is no event of ours (the subscription was refused)
	}
	return resp
}
