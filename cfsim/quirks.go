package cfsim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Quirks make the simulator break one assumption of docs/upstream.md each,
// for tests only: an upstream that answers without an error but not as the
// service relies on, so that a check of the live API (the doctor) can be
// shown to notice. The zero value breaks nothing.
type Quirks struct {
	// IgnoreKey: filters on this key are ignored (still checked), as if
	// the live API did not know it.
	IgnoreKey string
	// EqAllOf: eq with several values means all of them (so on a
	// single-valued field, nothing), instead of any of them.
	EqAllOf bool
	// CreatedAtSeconds: created_at filters compare at second precision,
	// both the log's time and the value truncated to the second.
	CreatedAtSeconds bool
	// RejectOrderBy: this order_by value is refused with a 400, as an
	// unknown one is.
	RejectOrderBy string
	// ClampPerPage: a per_page above 50 is served as 50 (and result_info
	// says 50) instead of being refused with a 400.
	ClampPerPage bool
	// NoMetaInfo: meta_info=true is accepted but adds no figures.
	NoMetaInfo bool
	// MissingGatewayEmpty: List Gateway Logs of an unknown gateway is an
	// empty 200 instead of a 404 code 7002.
	MissingGatewayEmpty bool
	// WrongAccountNotFound: an account it does not hold is a 404 code 7002
	// (as for an unknown gateway) instead of code 7003.
	WrongAccountNotFound bool
	// MissingCredentialForbidden: no credential is a 403 code 10000
	// instead of a 400 code 9106.
	MissingCredentialForbidden bool
}

// listQuery rewrites List Gateway Logs' query before it is validated.
func (q Quirks) listQuery(v url.Values) url.Values {
	if !q.ClampPerPage || !v.Has("per_page") {
		return v
	}
	if n, err := strconv.Atoi(v.Get("per_page")); err == nil && n > maxPerPage {
		v.Set("per_page", strconv.Itoa(maxPerPage))
	}
	return v
}

// listParams adjusts validated parameters; a non-empty result is the 400's
// problems.
func (q Quirks) listParams(p *listParams) []string {
	if q.RejectOrderBy != "" && p.orderBy == q.RejectOrderBy {
		return []string{"order_by: invalid enum value " + strconv.Quote(p.orderBy)}
	}
	if q.NoMetaInfo {
		p.metaInfo = false
	}
	if q.IgnoreKey == "" && !q.EqAllOf && !q.CreatedAtSeconds {
		return nil
	}
	var preds []predicate
	for i, f := range p.filters {
		switch {
		case f.Key == q.IgnoreKey:
			continue
		case q.EqAllOf && f.Operator == "eq" && len(f.Value) > 1:
			preds = append(preds, allOf(f))
		case q.CreatedAtSeconds && f.Key == "created_at":
			preds = append(preds, secondsMatcher(f))
		default:
			preds = append(preds, p.preds[i])
		}
	}
	p.preds = preds
	return nil
}

// allOf matches a log that each value alone matches. The filter has been
// compiled once already, so its parts compile too.
func allOf(f Filter) predicate {
	parts := make([]predicate, len(f.Value))
	for i, v := range f.Value {
		parts[i], _ = compileFilter(Filter{Key: f.Key, Operator: f.Operator, Value: []any{v}})
	}
	return func(e *entry) bool {
		for _, p := range parts {
			if !p(e) {
				return false
			}
		}
		return true
	}
}

// secondsMatcher is timeMatcher with both sides truncated to the second.
func secondsMatcher(f Filter) predicate {
	var vals []time.Time
	for _, v := range f.Value {
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				vals = append(vals, t.Truncate(time.Second))
			}
		}
	}
	test := map[string]func(a, b time.Time) bool{
		"eq": time.Time.Equal, "neq": time.Time.Equal, "lt": time.Time.Before, "gt": time.Time.After,
	}[f.Operator]
	return func(e *entry) bool {
		c := e.log.CreatedAt.Truncate(time.Second)
		hit := false
		for _, v := range vals {
			hit = hit || test(c, v)
		}
		return hit != (f.Operator == "neq")
	}
}

// refused is the answer to a request whose credential was refused: a
// (400 when none was sent).
func (q Quirks) refused(a answer) answer {
	if q.MissingCredentialForbidden && a.status == http.StatusBadRequest {
		return errAnswer(http.StatusForbidden, codeAuthError, msgAuthError)
	}
	return a
}

// wrongAccount is the answer to a request for an account it does not hold.
func (q Quirks) wrongAccount(path string) answer {
	if q.WrongAccountNotFound {
		return errAnswer(http.StatusNotFound, codeNotFound, msgNotFound)
	}
	return errAnswer(http.StatusNotFound, codeCouldNotRoute, fmt.Sprintf(msgCouldNotRoute, path))
}
