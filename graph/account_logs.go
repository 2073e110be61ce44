package graph

import (
	"context"
	"fmt"
	"maps"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// accountLogsQuery is AIGatewayAccount.logs as asked for.
type accountLogsQuery struct {
	accountID  string   // validated by Query.account
	gatewayIDs []string // nil: every gateway of the account
	args       paging.Args
	filter     *model.AIGatewayLogFilter
	order      *model.AIGatewayLogOrder
	search     *string
}

// walkPlan is a validated walk across gateways: everything but the
// gateways themselves when the account's are to be listed.
type walkPlan struct {
	accountID string
	gateways  []string // sorted; their index is their place in cursors and ties
	req       paging.MergedRequest
	base      restclient.ListLogsParams // everything but page and per_page
	needItems bool
	// needTotals: every gateway's total is needed even where its part of
	// the window is empty (totalCount, summary, or page info that a
	// `before` cursor does not settle).
	needTotals bool
}

// accountLogs answers a walk across gateways. Each gateway's part of the
// window is fetched exactly as that gateway's own logs connection would
// fetch it (the same pages, the same loaders), all gateways concurrently;
// the parts are then merged.
func (r *Resolver) accountLogs(ctx context.Context, q accountLogsQuery) (*model.LogConnection, error) {
	plan, err := r.planWalk(ctx, q)
	if err != nil {
		return nil, err
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	if plan.gateways == nil {
		if plan.gateways, err = r.accountGatewayIDs(ctx, l, plan.accountID); err != nil {
			return nil, err
		}
	}
	set := paging.HashQuery(append([]string{"walk gateways", plan.accountID}, plan.gateways...)...)
	if err := plan.req.Bind(set, len(plan.gateways)); err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	return plan.fetch(ctx, l)
}

func (r *Resolver) planWalk(ctx context.Context, q accountLogsQuery) (*walkPlan, error) {
	var gateways []string
	if q.gatewayIDs != nil {
		var err error
		if gateways, err = r.walkGatewayIDs(q.gatewayIDs); err != nil {
			return nil, err
		}
	}
	list, err := readListQuery(q.filter, q.order, q.search)
	if err != nil {
		return nil, err
	}
	hash := paging.HashQuery("walk", q.accountID, list.identity, string(list.by), string(list.dir), list.search)
	limits := paging.Limits{DefaultSize: r.Config.DefaultPageSize, MaxSize: r.Config.MaxPageSize}
	now, snapshot := r.requestClock(ctx)
	req, err := paging.ParseMerged(q.args, limits, paging.Walk{Query: hash, Now: now, Snapshot: snapshot, Cursors: r.cursors()}, r.maxWalkGateways())
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	selected := selectedFields(ctx)
	return &walkPlan{
		accountID: q.accountID, gateways: gateways, req: req,
		base:       list.params(paging.Cursor{Snapshot: req.Snapshot}.SnapshotTime(), selected["summary"]),
		needItems:  selected["edges"] || selected["nodes"] || selected["pageInfo"],
		needTotals: selected["totalCount"] || selected["summary"] || (selected["pageInfo"] && !req.HasBefore()),
	}, nil
}

// fetch loads every gateway's part of the window concurrently (the
// request's concurrency bound applies to their calls) and merges them.
func (p *walkPlan) fetch(ctx context.Context, l *Loaders) (*model.LogConnection, error) {
	parts := make([]*model.LogConnection, len(p.gateways))
	errs := make([]error, len(p.gateways))
	eachConcurrently(len(p.gateways), func(i int) {
		one := connectionPlan{accountID: p.accountID, gatewayID: p.gateways[i], req: p.req.Gateway(i), base: p.base, needItems: p.needItems}
		if start, end := one.req.Window(-1); p.needItems && !p.needTotals && !one.req.NeedsTotal() && start == end {
			// Nothing of this gateway is in the window, and nothing
			// selected needs its total: no call.
			parts[i] = &model.LogConnection{Start: start}
			return
		}
		parts[i], errs[i] = one.fetch(ctx, l)
	})
	for i, err := range errs {
		if err != nil {
			return nil, gatewayFailed(ctx, p.gateways[i], err)
		}
	}
	m := newMergeOrder(p.base.OrderBy, p.base.Direction)
	runs := make([][]*model.Log, len(parts))
	for i, part := range parts {
		if k := m.outOfOrder(part.Logs); k >= 0 {
			return nil, orderNotApplied(p.gateways[i], p.base.OrderBy, part.Start+k)
		}
		runs[i] = part.Logs
	}
	var from []int
	if p.needItems {
		if p.req.FromEnd {
			from = m.mergeBackward(runs, p.req.Size)
		} else {
			from = m.mergeForward(runs, p.req.Size)
		}
	}
	return assembleWalk(p.req, parts, from, p.needItems), nil
}

// assembleWalk builds the connection of a merged window: from holds, for
// each log of the window in order, the index of its gateway; each gateway
// gave the first (forwards) or last (backwards) of the logs of its part.
func assembleWalk(req paging.MergedRequest, parts []*model.LogConnection, from []int, needItems bool) *model.LogConnection {
	taken := make([]int, len(parts))
	for _, g := range from {
		taken[g]++
	}
	before := make([]int, len(parts))
	conn := &model.LogConnection{Merged: &model.MergedWindow{Req: req, Before: before, From: from}}
	infos := make([]restclient.ResultInfo, len(parts))
	for i, part := range parts {
		before[i] = part.Start
		if req.FromEnd && needItems {
			before[i] = part.Start + len(part.Logs) - taken[i]
		}
		conn.Start += before[i]
		conn.Total += part.Total
		infos[i] = part.Info
	}
	conn.Info = combineInfos(infos)
	conn.Info.TotalCount = conn.Total
	next := make([]int, len(parts)) // the next log of each part to hand out
	for i := range parts {
		next[i] = before[i] - parts[i].Start
	}
	conn.Logs = make([]*model.Log, len(from))
	for k, g := range from {
		conn.Logs[k] = parts[g].Logs[next[g]]
		next[g]++
	}
	return conn
}

// combineInfos is the figures of the union of the gateways' logs: the
// lowest of the minimums, the highest of the maximums.
func combineInfos(infos []restclient.ResultInfo) restclient.ResultInfo {
	var out restclient.ResultInfo
	for _, in := range infos {
		lower(&out.MinCost, in.MinCost)
		lower(&out.MinDuration, in.MinDuration)
		lower(&out.MinTokensIn, in.MinTokensIn)
		lower(&out.MinTokensOut, in.MinTokensOut)
		lower(&out.MinTotalTokens, in.MinTotalTokens)
		higher(&out.MaxCost, in.MaxCost)
		higher(&out.MaxDuration, in.MaxDuration)
		higher(&out.MaxTokensIn, in.MaxTokensIn)
		higher(&out.MaxTokensOut, in.MaxTokensOut)
		higher(&out.MaxTotalTokens, in.MaxTotalTokens)
	}
	return out
}

func lower(dst **float64, v *float64) {
	if v != nil && (*dst == nil || *v < **dst) {
		*dst = v
	}
}

func higher(dst **float64, v *float64) {
	if v != nil && (*dst == nil || *v > **dst) {
		*dst = v
	}
}

// gatewayFailed is the error of a walk one of whose gateways failed: the
// whole field fails (a merge without that gateway would silently leave its
// logs out), and the error names the gateway.
func gatewayFailed(ctx context.Context, gatewayID string, err error) error {
	e, ok := toGraphQLError(ctx, err).(*gqlerror.Error)
	if !ok {
		e = codedError(CodeInternalServerError, "the upstream call failed")
	}
	out := &gqlerror.Error{Message: fmt.Sprintf("gateway %s: %s", gatewayID, e.Message), Extensions: maps.Clone(e.Extensions)}
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	out.Extensions["gatewayId"] = gatewayID
	return out
}
