package graph

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// resumeFrom reads logAdded's `after`: nil when there is none (the tail
// starts now), else the position the tail resumes from. Three forms are
// taken: a tail's own cursor (an event's extensions.cursor: no upstream
// call), a cursor of the gateway's logs connection, and a log id. The last
// two name a log, and the tail resumes right after it; finding it and the
// logs of its millisecond costs two upstream calls. Ties in a millisecond
// are ordered by log id, as the tail hands them out.
func (r *Resolver) resumeFrom(ctx context.Context, tq tailQuery, after *string) (*tail.Position, error) {
	if after == nil {
		return nil, nil
	}
	a := *after
	if paging.IsTail(a) {
		c, err := r.cursors().DecodeTail(a)
		if err != nil {
			return nil, badInput("after: not a cursor this service issued (or issued before a restart without CURSOR_SECRET): subscribe without after, or with a log id")
		}
		if c.Query != tq.hash {
			return nil, badInput("after: the cursor is another subscription's (another account, gateway or filter)")
		}
		return &tail.Position{At: time.UnixMilli(c.At).UTC(), IDs: c.IDs}, nil
	}
	var x *restclient.Log
	var err error
	if c, decodeErr := r.cursors().Decode(a); decodeErr == nil {
		x, err = r.logAtCursor(ctx, tq, c)
	} else if restclient.ValidateLogID(a) == nil {
		x, err = r.tailLogByID(ctx, tq, a)
	} else {
		return nil, badInput("after: neither a cursor of this service nor a log id")
	}
	if err != nil {
		return nil, err
	}
	return r.positionAfter(ctx, tq, x)
}

// logAtCursor finds the log of a cursor of the logs connection with the
// subscription's gateway and filter, in the default order.
func (r *Resolver) logAtCursor(ctx context.Context, tq tailQuery, c paging.Cursor) (*restclient.Log, error) {
	identity, err := tq.filters.identity()
	if err != nil {
		return nil, badInput("filter: " + err.Error())
	}
	by, dir := translateOrder(nil)
	if c.Query != paging.HashQuery(tq.q.AccountID, tq.q.GatewayID, identity, string(by), string(dir), "") {
		return nil, badInput("after: the cursor is of another logs connection: only one of this gateway's logs, with the same filter, the default order and no search, says where to resume")
	}
	page, err := r.tailCall(ctx, tq, restclient.ListLogsParams{
		Page: c.Offset + 1, PerPage: 1, OrderBy: by, Direction: dir, Filters: tq.filters.withSnapshot(c.SnapshotTime()),
	})
	if err != nil {
		return nil, err
	}
	if len(page.Logs) == 0 {
		return nil, codedError(CodeNotFound, "after: the log at this cursor is no longer listed (deleted, or past Cloudflare's retention): subscribe with a later cursor, a log id, or none")
	}
	return &page.Logs[0], nil
}

// tailLogByID finds a log of the subscription's gateway by its id.
func (r *Resolver) tailLogByID(ctx context.Context, tq tailQuery, id string) (*restclient.Log, error) {
	page, err := r.tailCall(ctx, tq, restclient.ListLogsParams{PerPage: 1, Filters: []restclient.Filter{
		{Key: restclient.KeyID, Operator: restclient.OpEq, Values: []any{id}},
	}})
	if err != nil {
		return nil, err
	}
	if len(page.Logs) == 0 {
		return nil, codedError(CodeNotFound, fmt.Sprintf("after: gateway %s has no log %s", tq.q.GatewayID, id))
	}
	return &page.Logs[0], nil
}

// positionAfter is the tail's position right after x: every log created
// before x's millisecond, and those of it whose ids sort up to x's.
func (r *Resolver) positionAfter(ctx context.Context, tq tailQuery, x *restclient.Log) (*tail.Position, error) {
	at := tail.Start(x.CreatedAt).At
	page, err := r.tailCall(ctx, tq, restclient.ListLogsParams{PerPage: restclient.MaxPerPage, Filters: []restclient.Filter{
		{Key: restclient.KeyCreatedAt, Operator: restclient.OpGt, Values: []any{formatInstant(at.Add(-time.Millisecond))}},
		{Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{formatInstant(at.Add(time.Millisecond))}},
	}})
	if err != nil {
		return nil, err
	}
	ids := []string{x.ID}
	for _, l := range page.Logs {
		if l.ID < x.ID && len(ids) < tail.MaxIDsAtInstant {
			ids = append(ids, l.ID)
		}
	}
	slices.Sort(ids)
	return &tail.Position{At: at, IDs: slices.Compact(ids)}, nil
}

// tailCall makes one upstream call of a subscription being set up, within
// the upstream deadline, counted as the operation's.
func (r *Resolver) tailCall(ctx context.Context, tq tailQuery, p restclient.ListLogsParams) (*restclient.LogPage, error) {
	if c, _ := ctx.Value(streamCallsKey{}).(*streamCalls); c != nil {
		c.add(1)
	}
	ctx, cancel := context.WithTimeout(ctx, r.Config.UpstreamTimeout)
	defer cancel()
	page, err := r.Upstream.ListLogs(ctx, tq.q.Creds, tq.q.AccountID, tq.q.GatewayID, p)
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	return page, nil
}
