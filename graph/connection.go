package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// logsQuery is a logs connection as asked for, from Query.logs or Gateway.logs.
type logsQuery struct {
	accountID *string // nil: the configured default account
	gatewayID string
	args      paging.Args
	filter    *model.AIGatewayLogFilter
	order     *model.AIGatewayLogOrder
	search    *string
}

// logConnection answers a logs connection with the fewest upstream calls:
// it validates everything first (no call for bad input), pins the walk to
// its snapshot, plans the pages that cover the window and loads them
// concurrently through the request's loaders.
func (r *Resolver) logConnection(ctx context.Context, q logsQuery) (*model.LogConnection, error) {
	plan, err := r.planConnection(ctx, q)
	if err != nil {
		return nil, err
	}
	l, err := loadersFor(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := plan.fetch(ctx, l)
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	return conn, nil
}

// connectionPlan is a validated logs connection, ready to fetch.
type connectionPlan struct {
	accountID, gatewayID string
	req                  paging.Request
	base                 restclient.ListLogsParams // everything but page and per_page
	needItems            bool                      // edges, nodes or pageInfo selected
}

func (r *Resolver) planConnection(ctx context.Context, q logsQuery) (*connectionPlan, error) {
	accountID, err := r.accountID(q.accountID)
	if err != nil {
		return nil, err
	}
	if err := restclient.ValidateGatewayID(q.gatewayID); err != nil {
		return nil, badInput("gatewayId: " + err.Error())
	}
	list, err := readListQuery(q.filter, q.order, q.search)
	if err != nil {
		return nil, err
	}
	hash := paging.HashQuery(accountID, q.gatewayID, list.identity, string(list.by), string(list.dir), list.search)
	limits := paging.Limits{DefaultSize: r.Config.DefaultPageSize, MaxSize: r.Config.MaxPageSize}
	now, snapshot := r.requestClock(ctx)
	req, err := paging.Parse(q.args, limits, paging.Walk{Query: hash, Now: now, Snapshot: snapshot, Cursors: r.cursors()})
	if err != nil {
		return nil, toGraphQLError(ctx, err)
	}
	selected := selectedFields(ctx)
	return &connectionPlan{
		accountID: accountID, gatewayID: q.gatewayID, req: req,
		base:      list.params(paging.Cursor{Snapshot: req.Snapshot}.SnapshotTime(), selected["summary"]),
		needItems: selected["edges"] || selected["nodes"] || selected["pageInfo"],
	}, nil
}

// requestClock is the time the request began and the snapshot its new
// walks are pinned to: every connection of one request shares them, so
// identical aliases make identical (and so de-duplicated) upstream calls.
func (r *Resolver) requestClock(ctx context.Context) (now, snapshot time.Time) {
	if l := requestLoaders(ctx); l != nil && l.snapshot != nil {
		return l.now, l.snapshot()
	}
	now = r.now()
	return now, r.newSnapshot(now)
}

// accountID applies the configured default and validates the result.
func (r *Resolver) accountID(given *string) (string, error) {
	id := r.Config.DefaultAccountID
	if given != nil {
		id = *given
	}
	if id == "" {
		return "", badInput("accountId is required: this server has no default account (CLOUDFLARE_ACCOUNT_ID)")
	}
	if err := restclient.ValidateAccountID(id); err != nil {
		return "", badInput("accountId: " + err.Error())
	}
	return id, nil
}

// selectedFields lists the fields selected on the connection being resolved.
func selectedFields(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	if graphql.GetFieldContext(ctx) == nil {
		return out
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		out[f.Name] = true
	}
	return out
}

// probe is the page fetched when the window alone cannot be placed or is
// empty: a full first page tells the total and, when the list is short,
// already holds the window.
var probe = paging.Page{Number: 1, Size: restclient.MaxPerPage}

func (p *connectionPlan) fetch(ctx context.Context, l *Loaders) (*model.LogConnection, error) {
	var known []paging.Page
	var knownResults []*restclient.LogPage
	total := -1
	if p.req.NeedsTotal() || !p.needItems {
		size := probe.Size
		if !p.needItems {
			size = 1 // only totalCount/summary: the smallest page tells them
		}
		first := paging.Page{Number: 1, Size: size}
		res, err := p.loadPages(ctx, l, []paging.Page{first})
		if err != nil {
			return nil, err
		}
		known, knownResults, total = []paging.Page{first}, res, res[0].Info.TotalCount
	}

	start, end := p.req.Window(total)
	if total >= 0 {
		end = min(end, total)
		start = min(start, end)
	}
	pages, results := known, knownResults
	if p.needItems && !covers(known, start, end) {
		pages = paging.PlanPages(start, end)
		if len(pages) == 0 && total < 0 {
			pages = []paging.Page{{Number: 1, Size: 1}} // empty window: still tell the total
		}
		if len(pages) > 0 {
			var err error
			if results, err = p.loadPages(ctx, l, pages); err != nil {
				return nil, err
			}
		} else {
			pages = known
		}
	}

	conn := &model.LogConnection{Start: start, Req: p.req, Info: results[0].Info, Total: results[0].Info.TotalCount}
	if p.needItems {
		items := make([][]restclient.Log, len(results))
		for i, r := range results {
			items[i] = r.Logs
		}
		raws := paging.Assemble(pages, items, start, end)
		// One backing array for the window's logs rather than one
		// allocation per log: this is the hot path of every list query.
		logs := make([]model.Log, len(raws))
		conn.Logs = make([]*model.Log, len(raws))
		for i := range raws {
			logs[i] = model.Log{AccountID: p.accountID, GatewayID: p.gatewayID, Raw: &raws[i]}
			conn.Logs[i] = &logs[i]
		}
	}
	return conn, nil
}

// covers reports whether already fetched pages hold positions [start, end).
func covers(pages []paging.Page, start, end int) bool {
	for _, pg := range pages {
		if pg.Offset() <= start && end <= pg.Offset()+pg.Size {
			return true
		}
	}
	return false
}

// loadPages starts every page before waiting for any, so they run concurrently.
func (p *connectionPlan) loadPages(ctx context.Context, l *Loaders, pages []paging.Page) ([]*restclient.LogPage, error) {
	params := make([]restclient.ListLogsParams, len(pages))
	for i, pg := range pages {
		params[i] = p.base
		params[i].Page, params[i].PerPage = pg.Number, pg.Size
	}
	return l.loadPages(ctx, p.accountID, p.gatewayID, params)
}
