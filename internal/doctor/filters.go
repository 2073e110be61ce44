package doctor

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// impossibleID is a well-formed log id no log has: a ULID of the Unix epoch.
const impossibleID = "00000000000000000000000000"

// instant prints a time as the service sends createdAt bounds: UTC,
// milliseconds.
func instant(t time.Time) string { return t.UTC().Format(model.DateTimeLayout) }

// before is the snapshot bound the service adds to every walk.
func (r *run) before() restclient.Filter {
	return restclient.Filter{Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{instant(r.snapshot)}}
}

// checkListing reads the newest page of 50 logs before the snapshot, as a
// walk does; the checks after it take their ids, providers and times from it.
func (r *run) checkListing(ctx context.Context) Result {
	const assumption = "the gateway's logs can be listed, newest first"
	page, err := r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{
		PerPage: restclient.MaxPerPage, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Desc,
		Filters: []restclient.Filter{r.before()},
	})
	if err != nil {
		res := failed(CheckListing, assumption, err)
		res.Status = Broken // nothing else can be checked: say why, whatever it is
		if e, ok := restclient.AsError(err); ok {
			res.Detail = serviceAnswer(e)
		}
		return res
	}
	for i := 1; i < len(page.Logs); i++ {
		if page.Logs[i].CreatedAt.After(page.Logs[i-1].CreatedAt) {
			return Result{CheckListing, Broken, assumption, fmt.Sprintf("log %d of the page is newer than log %d", i+1, i)}
		}
	}
	r.first = page
	return Result{CheckListing, Holds, assumption, fmt.Sprintf("%d logs before %s", page.Info.TotalCount, instant(r.snapshot))}
}

// needLogs is the verdict of a check that needs at least n logs on the
// listing's page, or nil when there are enough. With none, it needs only
// the listing to have worked: a token it refused would fail every call.
func (r *run) needLogs(id, assumption string, n int) *Result {
	switch {
	case r.first == nil:
		return &Result{id, Unknown, assumption, "not checked: the logs could not be listed"}
	case len(r.first.Logs) < n:
		need := "a log"
		if n > 1 {
			need = fmt.Sprintf("%d logs", n)
		}
		return &Result{id, Unknown, assumption, fmt.Sprintf("not checked: it needs %s and the gateway has %d; name a busier one with -gateway", need, len(r.first.Logs))}
	}
	return nil
}

// checkImpossibleID: the live API is reported to ignore filters it cannot
// read and answer every log. An id no log has must give none. The call is
// raw so that an ignored filter shows as the counts that came back.
func (r *run) checkImpossibleID(ctx context.Context) Result {
	const assumption = "an impossible id eq filter gives total 0"
	if res := r.needLogs(CheckImpossibleID, assumption, 0); res != nil {
		return *res
	}
	fs, _ := restclient.EncodeFilters([]restclient.Filter{{Key: restclient.KeyID, Operator: restclient.OpEq, Values: []any{impossibleID}}})
	a, err := r.rawList(ctx, url.Values{"per_page": {"1"}, "filters": {fs}})
	switch {
	case err != nil:
		return Result{CheckImpossibleID, Unknown, assumption, describe(err)}
	case a.Status != 200:
		return failedRaw(CheckImpossibleID, assumption, a)
	case len(a.Result) > 0 || (a.Info.TotalCount != nil && *a.Info.TotalCount != 0):
		return Result{CheckImpossibleID, Broken, assumption, fmt.Sprintf("answered total_count %s and %s on a page of 1: the filter was ignored", intOr(a.Info.TotalCount, "absent"), logs(len(a.Result)))}
	}
	return Result{CheckImpossibleID, Holds, assumption, fmt.Sprintf("total_count %s, no logs", intOr(a.Info.TotalCount, "absent"))}
}

// failedRaw is failed for a raw answer that is not a 200.
func failedRaw(id, assumption string, a rawAnswer) Result {
	st := Unknown
	if a.Status >= 400 && a.Status < 500 && a.Status != 429 {
		st = Broken
	}
	return Result{id, st, assumption, "answered " + httpStatus(a.Status, a.Errors)}
}

func intOr(p *int, none string) string {
	if p == nil {
		return none
	}
	return fmt.Sprint(*p)
}

// checkProviderEq: a filter on one value gives exactly the logs that have
// it — no other provider, and fewer logs than the whole gateway when the
// first page shows others.
func (r *run) checkProviderEq(ctx context.Context) Result {
	const assumption = "provider eq X gives only X"
	if res := r.needLogs(CheckProviderEq, assumption, 1); res != nil {
		return *res
	}
	x := r.first.Logs[0].Provider
	seenX, seenOther := 0, false
	for _, l := range r.first.Logs {
		if l.Provider == x {
			seenX++
		} else {
			seenOther = true
		}
	}
	page, err := r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{
		PerPage: restclient.MaxPerPage, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Desc,
		Filters: []restclient.Filter{{Key: restclient.KeyProvider, Operator: restclient.OpEq, Values: []any{x}}, r.before()},
	})
	if err != nil {
		return failed(CheckProviderEq, assumption, err)
	}
	others := 0
	for _, l := range page.Logs {
		if l.Provider != x {
			others++
		}
	}
	total, all := page.Info.TotalCount, r.first.Info.TotalCount
	switch {
	case others > 0:
		return Result{CheckProviderEq, Broken, assumption, fmt.Sprintf("%d of the %d logs answered for provider eq %s are of another provider", others, len(page.Logs), x)}
	case total < seenX:
		return Result{CheckProviderEq, Broken, assumption, fmt.Sprintf("total_count %d for %s, but the newest 50 logs alone hold %d of it", total, x, seenX)}
	case seenOther && total >= all:
		return Result{CheckProviderEq, Broken, assumption, fmt.Sprintf("total_count %d for %s of %d logs, although other providers are among them: nothing was filtered out", total, x, all)}
	}
	return Result{CheckProviderEq, Holds, assumption, fmt.Sprintf("%d of %d logs, all %s", total, all, x)}
}

// checkEqAnyOf: eq with several values means any of them (the service's
// `in` and its lookups of up to 50 ids in one call). Two ids that exist and
// one that cannot must give exactly the two.
func (r *run) checkEqAnyOf(ctx context.Context) Result {
	const assumption = "eq with several values means any of them"
	if res := r.needLogs(CheckEqAnyOf, assumption, 2); res != nil {
		return *res
	}
	a, b := r.first.Logs[0].ID, r.first.Logs[len(r.first.Logs)-1].ID
	page, err := r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{
		PerPage: restclient.MaxPerPage,
		Filters: []restclient.Filter{{Key: restclient.KeyID, Operator: restclient.OpEq, Values: []any{a, impossibleID, b}}},
	})
	if err != nil {
		return failed(CheckEqAnyOf, assumption, err)
	}
	got := map[string]bool{}
	for _, l := range page.Logs {
		got[l.ID] = true
	}
	if len(page.Logs) != 2 || !got[a] || !got[b] || page.Info.TotalCount != 2 {
		return Result{CheckEqAnyOf, Broken, assumption, fmt.Sprintf("id eq [2 known ids, 1 impossible] answered %s, total_count %d, not the 2", logs(len(page.Logs)), page.Info.TotalCount)}
	}
	return Result{CheckEqAnyOf, Holds, assumption, "id eq [2 known ids, 1 impossible] gave the 2"}
}

// checkCreatedAtMillis: created_at is in milliseconds, and `created_at lt`
// compares at that precision — the snapshot bound and createdAt filters
// rest on it. For a log created at t inside its second, lt t must leave it
// out and lt t+1ms take it in.
func (r *run) checkCreatedAtMillis(ctx context.Context) Result {
	const assumption = "created_at lt compares at millisecond precision"
	if res := r.needLogs(CheckCreatedAtMillis, assumption, 1); res != nil {
		return *res
	}
	var t time.Time
	for _, l := range r.first.Logs {
		if l.CreatedAt.Nanosecond()%int(time.Millisecond) != 0 {
			return Result{CheckCreatedAtMillis, Broken, assumption, fmt.Sprintf("a created_at has digits below the millisecond (%s)", l.CreatedAt.Format(time.RFC3339Nano))}
		}
		// Not at .000 or .999: a bound truncated or rounded to the second
		// then differs from the one sent.
		if ms := l.CreatedAt.Nanosecond() / int(time.Millisecond); t.IsZero() && ms > 0 && ms < 999 {
			t = l.CreatedAt
		}
	}
	if t.IsZero() {
		return Result{CheckCreatedAtMillis, Unknown, assumption, "not checked: no log on the first page was created inside a second"}
	}
	lt := func(bound time.Time) (*restclient.LogPage, error) {
		return r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{
			PerPage: 1, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Desc,
			Filters: []restclient.Filter{{Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{instant(bound)}}},
		})
	}
	at, err := lt(t)
	if err != nil {
		return failed(CheckCreatedAtMillis, assumption, err)
	}
	after, err := lt(t.Add(time.Millisecond))
	if err != nil {
		return failed(CheckCreatedAtMillis, assumption, err)
	}
	switch {
	case len(after.Logs) == 0 || !after.Logs[0].CreatedAt.Equal(t) || after.Info.TotalCount <= at.Info.TotalCount:
		return Result{CheckCreatedAtMillis, Broken, assumption, fmt.Sprintf("lt %s gave total_count %d, 1 ms later %d, without the log created at %s: the millisecond is not compared", instant(t), at.Info.TotalCount, after.Info.TotalCount, instant(t))}
	case len(at.Logs) > 0 && !at.Logs[0].CreatedAt.Before(t):
		return Result{CheckCreatedAtMillis, Broken, assumption, fmt.Sprintf("lt %s answered a log created at %s", instant(t), instant(at.Logs[0].CreatedAt))}
	}
	return Result{CheckCreatedAtMillis, Holds, assumption, fmt.Sprintf("lt %s: %d logs, lt %s: %d", instant(t), at.Info.TotalCount, instant(t.Add(time.Millisecond)), after.Info.TotalCount)}
}
