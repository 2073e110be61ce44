package cfsim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// maxDeleteLimit is Delete Gateway Logs' limit maximum and default (the
// spec: limit 1–10000, default 10000).
const maxDeleteLimit = 10000

// deleteParams is a validated Delete Gateway Logs query.
type deleteParams struct {
	limit   int
	orderBy string
	asc     bool
	preds   []predicate
}

// parseDeleteParams validates the query as the spec's schema does:
// order_by one of its eleven values (default created_at),
// order_by_direction asc | desc (default asc, unlike List's desc), limit
// 1–10000 (default 10000), filters as for List. Unknown parameters are
// ignored. The parsed filters are returned for the request log.
func parseDeleteParams(q url.Values) (deleteParams, []Filter, []string) {
	p := deleteParams{limit: maxDeleteLimit, orderBy: "created_at", asc: true}
	var problems []string
	problems = intParam(q, "limit", 1, maxDeleteLimit, &p.limit, problems)
	if q.Has("order_by") {
		p.orderBy = q.Get("order_by")
		if orderKey(p.orderBy) == nil {
			problems = append(problems, "order_by: invalid enum value "+strconv.Quote(p.orderBy)+
				", expected created_at | provider | model | model_type | success | cached | cost | tokens_in | tokens_out | duration | feedback")
		}
	}
	if q.Has("order_by_direction") {
		switch d := q.Get("order_by_direction"); d {
		case "asc":
		case "desc":
			p.asc = false
		default:
			problems = append(problems, "order_by_direction: invalid enum value "+strconv.Quote(d)+", expected asc | desc")
		}
	}
	var parsed []Filter
	if raws, ok := q["filters"]; ok {
		fs, err := parseFilters(raws)
		if err != nil {
			return p, nil, append(problems, err.Error())
		}
		parsed = fs
		if p.preds, err = compileFilters(fs); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return p, parsed, problems
}

// deleteLogs answers Delete Gateway Logs: it removes, for good, the first
// `limit` logs matching every filter in the requested order, and answers
// the spec's bare {success: true}. No filters select every log (as the
// spec's schema allows). An unknown gateway is a 404 code 7002, as on the
// other log endpoints (the spec documents only 200 and 400 here).
func (s *Server) deleteLogs(gatewayID string, q url.Values, slot *reqSlot) answer {
	p, parsed, problems := parseDeleteParams(q)
	slot.req.Filters = parsed
	if len(problems) > 0 {
		return badRequest(problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.gateways[gatewayID]
	if !ok {
		return errAnswer(http.StatusNotFound, codeNotFound, msgNotFound)
	}
	set := filterEntries(g.ordered(p.orderBy), listParams{preds: p.preds}) // descending
	if p.asc {
		slices.Reverse(set)
	}
	g.remove(set[:min(p.limit, len(set))])
	return answer{status: http.StatusOK, body: []byte(`{"success":true}`)}
}

// remove deletes entries from the gateway and recomputes what depends on
// the whole set. Caller holds the server write lock.
func (g *gateway) remove(doomed []*entry) {
	if len(doomed) == 0 {
		return
	}
	gone := make(map[*entry]bool, len(doomed))
	for _, e := range doomed {
		gone[e] = true
		delete(g.byID, e.log.ID)
	}
	g.byTime = slices.DeleteFunc(g.byTime, func(e *entry) bool { return gone[e] })
	g.all = stats{}
	for _, e := range g.byTime {
		g.all.add(e)
	}
	g.cacheMu.Lock()
	g.sorted = nil
	g.cacheMu.Unlock()
}
