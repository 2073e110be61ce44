package doctor

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aigw/gqlfacade/restclient"
)

// checkOrderBy: each order_by value of the spec is accepted (created_at
// was, by the listing).
func (r *run) checkOrderBy(ctx context.Context) Result {
	const assumption = "every order_by value is accepted"
	if res := r.needLogs(CheckOrderBy, assumption, 0); res != nil {
		return *res
	}
	values := []restclient.OrderBy{restclient.OrderByProvider, restclient.OrderByModel, restclient.OrderByModelType, restclient.OrderBySuccess, restclient.OrderByCached}
	var refused, unknown []string
	status := Holds
	for _, v := range values {
		_, err := r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{PerPage: 1, OrderBy: v, Direction: restclient.Desc})
		if err == nil {
			continue
		}
		res := failed(CheckOrderBy, assumption, err)
		if res.Status == Broken {
			status = Broken
			refused = append(refused, fmt.Sprintf("%s: %s", v, res.Detail))
		} else {
			unknown = append(unknown, fmt.Sprintf("%s: %s", v, res.Detail))
		}
	}
	switch {
	case status == Broken:
		return Result{CheckOrderBy, Broken, assumption, "refused " + strings.Join(append(refused, unknown...), "; ")}
	case len(unknown) > 0:
		return Result{CheckOrderBy, Unknown, assumption, strings.Join(unknown, "; ")}
	}
	return Result{CheckOrderBy, Holds, assumption, "created_at, provider, model, model_type, success, cached"}
}

// checkPerPage: per_page 50 gives 50 logs, and 51 is refused rather than
// served as 50 — a clamped page would read as the end of the list. The
// call with 51 is raw: restclient never sends it.
func (r *run) checkPerPage(ctx context.Context) Result {
	const assumption = "per_page 50 is the maximum, never clamped"
	if res := r.needLogs(CheckPerPage, assumption, 0); res != nil {
		return *res
	}
	total := r.first.Info.TotalCount
	if total >= restclient.MaxPerPage && len(r.first.Logs) != restclient.MaxPerPage {
		return Result{CheckPerPage, Broken, assumption, fmt.Sprintf("per_page 50 gave %s of %d", logs(len(r.first.Logs)), total)}
	}
	q := url.Values{"per_page": {"51"}, "order_by": {"created_at"}, "order_by_direction": {"desc"}}
	a, err := r.rawList(ctx, q)
	if err != nil {
		return Result{CheckPerPage, Unknown, assumption, describe(err)}
	}
	n := len(a.Result)
	switch {
	case a.Status >= 400 && a.Status < 500 && a.Status != 429:
		return Result{CheckPerPage, Holds, assumption, fmt.Sprintf("50 gave %s; 51 answered %s", logs(len(r.first.Logs)), httpStatus(a.Status, a.Errors))}
	case a.Status != 200:
		return failedRaw(CheckPerPage, assumption, a)
	case n == 51 || (a.Info.PerPage != nil && *a.Info.PerPage == 51):
		return Result{CheckPerPage, Holds, assumption, fmt.Sprintf("51 answered 200 with %s: the API allows more than 50, and the service never asks for more", logs(n))}
	case n == 50 || (a.Info.PerPage != nil && *a.Info.PerPage == 50):
		return Result{CheckPerPage, Broken, assumption, fmt.Sprintf("51 answered 200 with %s, per_page %s: the API clamps instead of refusing", logs(n), intOr(a.Info.PerPage, "absent"))}
	}
	return Result{CheckPerPage, Unknown, assumption, fmt.Sprintf("51 answered 200 with %s, per_page %s: too few logs to tell", logs(n), intOr(a.Info.PerPage, "absent"))}
}

// checkMetaInfo: meta_info=true adds the min/max figures, and they cover
// the whole filtered set: asked with a page of one, they must span at
// least the durations of the listing's page of 50.
func (r *run) checkMetaInfo(ctx context.Context) Result {
	const assumption = "meta_info adds min/max figures over the whole set"
	if res := r.needLogs(CheckMetaInfo, assumption, 1); res != nil {
		return *res
	}
	lo, hi := r.first.Logs[0].Duration, r.first.Logs[0].Duration
	for _, l := range r.first.Logs {
		lo, hi = min(lo, l.Duration), max(hi, l.Duration)
	}
	page, err := r.list(ctx, r.creds, r.account, r.gateway, restclient.ListLogsParams{
		PerPage: 1, OrderBy: restclient.OrderByCreatedAt, Direction: restclient.Desc, MetaInfo: true,
		Filters: []restclient.Filter{r.before()},
	})
	if err != nil {
		return failed(CheckMetaInfo, assumption, err)
	}
	in := page.Info
	switch {
	case in.MinDuration == nil || in.MaxDuration == nil:
		return Result{CheckMetaInfo, Broken, assumption, "answered no min_duration/max_duration"}
	case *in.MinDuration > float64(lo) || *in.MaxDuration < float64(hi):
		return Result{CheckMetaInfo, Broken, assumption, fmt.Sprintf("duration %g–%g ms, but the newest 50 logs alone span %d–%d ms: the figures cover less than the set", *in.MinDuration, *in.MaxDuration, lo, hi)}
	}
	return Result{CheckMetaInfo, Holds, assumption, fmt.Sprintf("duration %g–%g ms over %d logs", *in.MinDuration, *in.MaxDuration, in.TotalCount)}
}
