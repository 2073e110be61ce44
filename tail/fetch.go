package tail

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// Lister is what the tail needs of the upstream; *restclient.Client has it.
type Lister interface {
	ListLogs(ctx context.Context, creds restclient.Credentials, accountID, gatewayID string, p restclient.ListLogsParams) (*restclient.LogPage, error)
}

// Pacer keeps background calls inside a credential's rate budget: Wait
// returns once a call of the tail may spend a token and still leave the
// budget room for the queries of the same credential, or when ctx is done.
type Pacer interface {
	Wait(ctx context.Context, creds restclient.Credentials) error
}

// Query is what one poller reads: the logs of one gateway, as one
// credential sees them, that match one filter.
type Query struct {
	Creds     restclient.Credentials
	AccountID string
	GatewayID string
	// Filters are the subscriber's conditions, in a canonical order (equal
	// filters must be equal slices: they are part of the poller's key).
	Filters []restclient.Filter
}

// key identifies the poller of q: a hash of the credential, never the
// credential itself, and the filters as they travel.
func (q Query) key() (string, error) {
	filters, err := restclient.EncodeFilters(q.Filters)
	if err != nil {
		return "", err
	}
	return q.Creds.Fingerprint() + "\x00" + q.AccountID + "\x00" + q.GatewayID + "\x00" + filters, nil
}

// fetched is one upstream page of logs not yet seen, oldest first.
type fetched struct {
	logs []restclient.Log
	full bool // the page was full: more may follow at once
}

// fetch lists the logs of q that from has not seen, oldest first, at most
// a page of them; with until, only those that until has seen. The logs come
// sorted by created_at and then id, so that every reader of one page sees
// its logs in one order whatever order the upstream gives ties.
func (h *Hub) fetch(ctx context.Context, q Query, from Position, until *Position) (fetched, error) {
	filters := slices.Concat(q.Filters, from.conditions())
	if until != nil {
		filters = append(filters, until.upTo())
	}
	if h.opts.Pacer != nil {
		if err := h.opts.Pacer.Wait(ctx, q.Creds); err != nil {
			return fetched{}, err
		}
	}
	callCtx, cancel := context.WithTimeout(ctx, h.opts.CallTimeout)
	defer cancel()
	page, err := h.opts.Lister.ListLogs(callCtx, q.Creds, q.AccountID, q.GatewayID, restclient.ListLogsParams{
		PerPage: restclient.MaxPerPage, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Asc, Filters: filters,
	})
	if err != nil {
		return fetched{}, err
	}
	out := fetched{full: len(page.Logs) == restclient.MaxPerPage}
	for i := range page.Logs {
		l := page.Logs[i]
		if from.Seen(&l) || (until != nil && !until.Seen(&l)) {
			continue
		}
		out.logs = append(out.logs, l)
	}
	slices.SortStableFunc(out.logs, func(a, b restclient.Log) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// failure classifies an upstream failure of a reader.
type failure int

const (
	// transient: told to the subscribers as a Notice; reading goes on
	// after a pause.
	transient failure = iota
	// terminal: the subscription cannot go on (the credential or the
	// gateway is gone); it ends with the error.
	terminal
)

func classify(err error) (failure, time.Duration) {
	var invalid *restclient.InvalidInputError
	var unfiltered *restclient.FilterNotAppliedError
	if errors.As(err, &invalid) || errors.As(err, &unfiltered) {
		return terminal, 0 // asking again would be refused, or answered, the same way
	}
	if e, ok := restclient.AsError(err); ok {
		switch e.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity:
			return terminal, 0 // a credential, account or gateway that is not (or no longer) good
		case http.StatusTooManyRequests:
			return transient, e.RetryAfter
		}
	}
	return transient, 0
}
