package cfsim

import (
	"net/url"
	"strconv"
)

// Paging limits of List Gateway Logs (docs/upstream.md: per_page 1–50, default 20).
// They are the upstream's, not taken from restclient.MaxPerPage: the
// simulator stands for the upstream, so that a wrong assumption of the
// client's fails against it instead of being copied into it.
const (
	defaultPerPage = 20
	maxPerPage     = 50
)

// listParams is a validated List Gateway Logs query.
type listParams struct {
	page, perPage int
	orderBy       string
	asc           bool
	search        string
	metaInfo      bool
	filters       []Filter
	preds         []predicate
}

// parseListParams validates the query the way the upstream's schema does
// and returns every problem found, each becoming one item of the 400's
// errors array. Parameters it does not know — including the deprecated
// scalar ones (provider, min_cost, …) and the SDKs' dotted/bracketed filter
// forms — are ignored, as the live API ignores them. filters is returned
// whenever it parsed, even if another parameter is wrong, for the request log.
func parseListParams(q url.Values) (listParams, []Filter, []string) {
	p := listParams{page: 1, perPage: defaultPerPage, orderBy: "created_at"}
	var problems []string
	problems = intParam(q, "page", 1, int(^uint(0)>>1), &p.page, problems)
	problems = intParam(q, "per_page", 1, maxPerPage, &p.perPage, problems)

	if q.Has("order_by") {
		p.orderBy = q.Get("order_by")
		if _, ok := orderKeys[p.orderBy]; !ok {
			problems = append(problems, "order_by: invalid enum value "+strconv.Quote(p.orderBy)+
				", expected created_at | provider | model | model_type | success | cached")
		}
	}
	if q.Has("order_by_direction") {
		switch d := q.Get("order_by_direction"); d {
		case "asc":
			p.asc = true
		case "desc":
		default:
			problems = append(problems, "order_by_direction: invalid enum value "+strconv.Quote(d)+", expected asc | desc")
		}
	}
	if q.Has("meta_info") {
		switch v := q.Get("meta_info"); v {
		case "true":
			p.metaInfo = true
		case "false":
		default:
			problems = append(problems, "meta_info: expected a boolean, got "+strconv.Quote(v))
		}
	}
	p.search = q.Get("search")

	var parsed []Filter
	if raws, ok := q["filters"]; ok {
		fs, err := parseFilters(raws)
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			parsed = fs
			preds, err := compileFilters(fs)
			if err != nil {
				problems = append(problems, err.Error())
			}
			p.filters, p.preds = fs, preds
		}
	}
	return p, parsed, problems
}

// intParam reads an optional integer parameter within [lo, hi] into dst, or
// adds the upstream-style problem to problems.
func intParam(q url.Values, name string, lo, hi int, dst *int, problems []string) []string {
	if !q.Has(name) {
		return problems
	}
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n < lo || n > hi {
		rng := "≥ " + strconv.Itoa(lo)
		if hi < int(^uint(0)>>1) {
			rng = strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		}
		return append(problems, name+": expected an integer "+rng+", got "+strconv.Quote(q.Get(name)))
	}
	*dst = n
	return problems
}
