package graph

import (
	"fmt"
	"math"
	"time"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// maxFilterValues bounds `in` / `notIn` lists: every value lands in the
// upstream URL, and a list longer than this is a mistake, not a query.
const maxFilterValues = 100

// filterSet is a LogFilter translated to upstream filters, with the
// `createdAt.lt` bound kept apart: it merges with the walk's snapshot bound
// into a single upstream `created_at lt` condition.
type filterSet struct {
	filters       []restclient.Filter
	createdBefore *time.Time
}

// translateFilter maps the typed GraphQL filter onto upstream filters:
// eq/neq/contains/lt/gt one to one, `in` as `eq` with several values (any
// of), `notIn` as `neq` with several values (none of), `isNull` as `eq` or
// `neq` with a JSON null. Every field and every
// operator is ANDed, as the upstream does.
func translateFilter(f *model.AIGatewayLogFilter) (filterSet, error) {
	var b filterBuilder
	if f == nil {
		return filterSet{}, nil
	}
	b.str(restclient.KeyID, "logId", f.LogID)
	b.dateTime(f.CreatedAt)
	b.str(restclient.KeyRequestContentType, "requestContentType", f.RequestContentType)
	b.str(restclient.KeyResponseContentType, "responseContentType", f.ResponseContentType)
	b.str(restclient.KeyRequestType, "requestType", f.RequestType)
	b.boolean(restclient.KeySuccess, f.Success)
	b.boolean(restclient.KeyCached, f.Cached)
	b.str(restclient.KeyProvider, "provider", f.Provider)
	b.str(restclient.KeyModel, "model", f.Model)
	b.str(restclient.KeyModelType, "modelType", f.ModelType)
	number(&b, restclient.KeyCost, "cost", (*numberFilter[float64])(f.Cost))
	number(&b, restclient.KeyTokens, "tokens", (*numberFilter[int])(f.Tokens))
	number(&b, restclient.KeyTokensIn, "tokensIn", (*numberFilter[int])(f.TokensIn))
	number(&b, restclient.KeyTokensOut, "tokensOut", (*numberFilter[int])(f.TokensOut))
	number(&b, restclient.KeyDuration, "duration", (*numberFilter[int])(f.Duration))
	number(&b, restclient.KeyFeedback, "feedback", (*numberFilter[int])(f.Feedback))
	b.str(restclient.KeyEventID, "eventId", f.EventID)
	b.str(restclient.KeyMetadataKey, "metadataKey", f.MetadataKey)
	b.str(restclient.KeyMetadataValue, "metadataValue", f.MetadataValue)
	b.boolean(restclient.KeyAuthentication, f.Authentication)
	b.boolean(restclient.KeyWholesale, f.Wholesale)
	b.boolean(restclient.KeyCompatibilityMode, f.CompatibilityMode)
	b.str(restclient.KeyDLPAction, "dlpAction", f.DlpAction)
	b.str(restclient.KeyUserAgent, "userAgent", f.UserAgent)
	return b.set, b.err
}

// withSnapshot returns the upstream filters of one call of a walk: the
// client's filters plus `created_at lt` the earlier of the client's bound and
// the snapshot, which keeps logs that arrive during the walk out of it.
func (s filterSet) withSnapshot(snapshot time.Time) []restclient.Filter {
	bound := snapshot
	if s.createdBefore != nil && s.createdBefore.Before(bound) {
		bound = *s.createdBefore
	}
	out := make([]restclient.Filter, len(s.filters), len(s.filters)+1)
	copy(out, s.filters)
	return append(out, restclient.Filter{
		Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{formatInstant(bound)},
	})
}

// identity is the filter part of a query's identity, for cursor binding.
func (s filterSet) identity() (string, error) {
	return restclient.EncodeFilters(s.conditions())
}

// conditions is every upstream condition of the filter, the createdAt.lt
// bound last, for a call that takes the filter as given (no snapshot).
func (s filterSet) conditions() []restclient.Filter {
	all := s.filters
	if s.createdBefore != nil {
		all = append(all[:len(all):len(all)], restclient.Filter{
			Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{formatInstant(*s.createdBefore)},
		})
	}
	return all
}

// formatInstant writes an instant the way the upstream writes created_at.
func formatInstant(t time.Time) string { return t.UTC().Format(model.DateTimeLayout) }

// filterBuilder collects filters and keeps the first error.
type filterBuilder struct {
	set filterSet
	err error
}

func (b *filterBuilder) add(key restclient.FilterKey, op restclient.Operator, values ...any) {
	b.set.filters = append(b.set.filters, restclient.Filter{Key: key, Operator: op, Values: values})
}

func (b *filterBuilder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = badInput(fmt.Sprintf(format, args...))
	}
}

// list adds a multi-valued condition after checking its length.
func list[T any](b *filterBuilder, key restclient.FilterKey, op restclient.Operator, field, name string, vs []T) {
	if vs == nil {
		return
	}
	if len(vs) == 0 || len(vs) > maxFilterValues {
		b.fail("filter.%s.%s needs 1 to %d values (got %d)", field, name, maxFilterValues, len(vs))
		return
	}
	values := make([]any, len(vs))
	for i, v := range vs {
		values[i] = v
	}
	b.add(key, op, values...)
}

// equality adds the operators every filter type but Boolean has, in one
// order for all, so that equal filters encode (and hash) alike.
func equality[T any](b *filterBuilder, key restclient.FilterKey, field string, eq, neq *T, in, notIn []T) {
	if eq != nil {
		b.add(key, restclient.OpEq, *eq)
	}
	if neq != nil {
		b.add(key, restclient.OpNeq, *neq)
	}
	list(b, key, restclient.OpEq, field, "in", in)
	list(b, key, restclient.OpNeq, field, "notIn", notIn)
}

func (b *filterBuilder) str(key restclient.FilterKey, field string, f *model.AIGatewayStringFilter) {
	if f == nil {
		return
	}
	b.lengths(field, "eq", ptrList(f.Eq))
	b.lengths(field, "neq", ptrList(f.Neq))
	b.lengths(field, "in", f.In)
	b.lengths(field, "notIn", f.NotIn)
	b.lengths(field, "contains", ptrList(f.Contains))
	equality(b, key, field, f.Eq, f.Neq, f.In, f.NotIn)
	if f.Contains != nil {
		b.add(key, restclient.OpContains, *f.Contains)
	}
	b.isNull(key, f.IsNull)
}

// isNull asks for logs whose field has no value (eq null) or has one (neq
// null). It is a field of its own because a GraphQL null means "not
// given": `eq: null` must stay no condition at all.
func (b *filterBuilder) isNull(key restclient.FilterKey, isNull *bool) {
	if isNull == nil {
		return
	}
	op := restclient.OpNeq
	if *isNull {
		op = restclient.OpEq
	}
	b.add(key, op, []any{nil}...)
}

// lengths bounds each string value of one operator (maxValueBytes).
func (b *filterBuilder) lengths(field, op string, vs []string) {
	for _, v := range vs {
		if len(v) > maxValueBytes {
			b.fail(tooLong, fmt.Sprintf("a value of filter.%s.%s", field, op), len(v), maxValueBytes)
			return
		}
	}
}

// numberFilter is the shape IntFilter and FloatFilter share, so that one
// translation serves both (a *model.AIGatewayIntFilter converts to
// *numberFilter[int] because the fields are the same).
type numberFilter[T int | float64] struct {
	Eq, Neq   *T
	In, NotIn []T
	Lt, Gt    *T
}

func number[T int | float64](b *filterBuilder, key restclient.FilterKey, field string, f *numberFilter[T]) {
	if f == nil {
		return
	}
	for _, v := range [][]T{ptrList(f.Eq), ptrList(f.Neq), f.In, f.NotIn, ptrList(f.Lt), ptrList(f.Gt)} {
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				b.fail("filter.%s takes finite numbers only", field)
				return
			}
		}
	}
	equality(b, key, field, f.Eq, f.Neq, f.In, f.NotIn)
	if f.Lt != nil {
		b.add(key, restclient.OpLt, *f.Lt)
	}
	if f.Gt != nil {
		b.add(key, restclient.OpGt, *f.Gt)
	}
}

func (b *filterBuilder) boolean(key restclient.FilterKey, f *model.AIGatewayBooleanFilter) {
	if f != nil && f.Eq != nil {
		b.add(key, restclient.OpEq, *f.Eq)
	}
}

// dateTime maps createdAt: `gt` is an ordinary filter; `lt` is kept apart to
// merge with the snapshot bound. The upstream records milliseconds, so a
// finer bound is rounded outward to the millisecond without changing which
// logs it admits.
func (b *filterBuilder) dateTime(f *model.AIGatewayDateTimeFilter) {
	if f == nil {
		return
	}
	if f.Gt != nil {
		b.add(restclient.KeyCreatedAt, restclient.OpGt, formatInstant(f.Gt.Truncate(time.Millisecond)))
	}
	if f.Lt != nil {
		lt := *f.Lt
		if trunc := lt.Truncate(time.Millisecond); !trunc.Equal(lt) {
			lt = trunc.Add(time.Millisecond)
		}
		b.set.createdBefore = &lt
	}
}

func ptrList[T any](p *T) []T {
	if p == nil {
		return nil
	}
	return []T{*p}
}
