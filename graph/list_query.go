package graph

import (
	"time"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// listQuery is what a logs connection's arguments say of the list itself,
// checked and translated once for a single gateway's connection and a walk
// across gateways alike: the filters, the order, the search, and the
// identity of the filters that its cursors are bound to.
type listQuery struct {
	filters  filterSet
	identity string
	by       restclient.OrderBy
	dir      restclient.Direction
	search   string
}

func readListQuery(filter *model.AIGatewayLogFilter, order *model.AIGatewayLogOrder, search *string) (listQuery, error) {
	filters, err := translateFilter(filter)
	if err != nil {
		return listQuery{}, err
	}
	identity, err := filters.identity()
	if err != nil {
		return listQuery{}, badInput("filter: " + err.Error())
	}
	if err := checkSearch(search); err != nil {
		return listQuery{}, err
	}
	q := listQuery{filters: filters, identity: identity}
	q.by, q.dir = translateOrder(order)
	if search != nil {
		q.search = *search
	}
	return q, nil
}

// params are the upstream list parameters of a walk pinned to snapshot;
// metaInfo asks for the summary figures (they cost nothing extra, but are
// only asked for when wanted).
func (q listQuery) params(snapshot time.Time, metaInfo bool) restclient.ListLogsParams {
	return restclient.ListLogsParams{
		OrderBy: q.by, Direction: q.dir, Search: q.search,
		MetaInfo: metaInfo,
		Filters:  q.filters.withSnapshot(snapshot),
	}
}
