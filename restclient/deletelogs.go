package restclient

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// MaxDeleteLogs is the upstream's limit maximum (and default) for Delete
// Gateway Logs: one call deletes at most this many logs.
const MaxDeleteLogs = 10000

// Order fields Delete Gateway Logs accepts beyond List Gateway Logs' six.
const (
	OrderByCost      OrderBy = "cost"
	OrderByTokensIn  OrderBy = "tokens_in"
	OrderByTokensOut OrderBy = "tokens_out"
	OrderByDuration  OrderBy = "duration"
	OrderByFeedback  OrderBy = "feedback"
)

// validForDelete reports whether o is one of Delete Gateway Logs' order_by
// values (the spec's enum there is longer than List's).
func (o OrderBy) validForDelete() bool {
	switch o {
	case OrderByCost, OrderByTokensIn, OrderByTokensOut, OrderByDuration, OrderByFeedback:
		return true
	}
	return o.Valid()
}

// DeleteLogsParams are the query parameters of Delete Gateway Logs. Every
// one is sent, so that the upstream's defaults (limit 10000, oldest first)
// never decide what is deleted unseen.
type DeleteLogsParams struct {
	// Filters select the logs to delete, ANDed. None selects every log of
	// the gateway, which All must then say explicitly.
	Filters []Filter
	// All must be true for a call without filters, and only then.
	All bool
	// Limit is how many of the selected logs to delete at most, 1..MaxDeleteLogs.
	Limit int
	// OrderBy and Direction say which of the selected logs go first when
	// Limit cuts.
	OrderBy   OrderBy
	Direction Direction
}

func (p DeleteLogsParams) values() (url.Values, error) {
	switch {
	case len(p.Filters) == 0 && !p.All:
		return nil, invalid("filters", "none given: that deletes every log of the gateway, which All must say")
	case len(p.Filters) > 0 && p.All:
		return nil, invalid("filters", "given with All: say either which logs or all of them")
	case p.Limit < 1 || p.Limit > MaxDeleteLogs:
		return nil, invalid("limit", "must be from 1 to %d, got %d", MaxDeleteLogs, p.Limit)
	case !p.OrderBy.validForDelete():
		return nil, invalid("order_by", "unknown value %q", string(p.OrderBy))
	case !p.Direction.Valid():
		return nil, invalid("order_by_direction", "must be asc or desc, got %q", string(p.Direction))
	}
	v := url.Values{}
	v.Set("limit", strconv.Itoa(p.Limit))
	v.Set("order_by", string(p.OrderBy))
	v.Set("order_by_direction", string(p.Direction))
	fs, err := EncodeFilters(p.Filters)
	if err != nil {
		return nil, err
	}
	if fs != "" {
		v.Set("filters", fs)
	}
	return v, nil
}

// DeleteLogs calls DELETE …/gateways/{gatewayID}/logs: it deletes, for
// good, up to p.Limit of the logs p.Filters select, first in p's order.
// The upstream answers only whether it succeeded. It is never retried: a
// DELETE that failed in transit may have been applied, and applying it
// again would delete the next logs in line. Ids and params are validated
// first; on failure no request is made.
func (c *Client) DeleteLogs(ctx context.Context, creds Credentials, accountID, gatewayID string, p DeleteLogsParams) error {
	path, err := gatewayPath(accountID, gatewayID, "logs")
	if err != nil {
		return err
	}
	q, err := p.values()
	if err != nil {
		return err
	}
	return c.do(ctx, creds, http.MethodDelete, path, q, nil, nil)
}
