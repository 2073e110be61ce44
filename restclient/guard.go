package restclient

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// FilterNotAppliedError reports an answer of List Gateway Logs that holds a
// log the filters sent exclude: the upstream ignored (or misread) the
// filter on Key. The service refuses such an answer rather than return
// wrong data quietly — the JSON form of `filters` rests on one user report,
// and a walk's snapshot bound is a filter too. It names the key, never the
// data. It is not retried: the upstream would answer the same.
type FilterNotAppliedError struct {
	Key FilterKey
}

func (e *FilterNotAppliedError) Error() string {
	return fmt.Sprintf("restclient: the upstream's answer does not hold to the filter on %s", e.Key)
}

// checkFiltersApplied checks every log against each filter that can be
// judged from a list item. It reads each condition in the most permissive
// way consistent with its being applied (strings compared regardless of
// case, a null field never judged by lt or gt nor against a set value,
// several values of eq as any of them), so that it flags answers no
// reading of the filter admits, not a semantic the documentation leaves
// open. A null filter value is judged: eq null admits no field that has a
// value, neq null no field that has none. Keys a list item does not hold
// (feedback, metadata, event id, …) are not judged.
func checkFiltersApplied(filters []Filter, logs []Log) *FilterNotAppliedError {
	for _, f := range filters {
		field, ok := guardedFields[f.Key]
		if !ok {
			continue
		}
		for i := range logs {
			if !holds(f, field(&logs[i])) {
				return &FilterNotAppliedError{Key: f.Key}
			}
		}
	}
	return nil
}

// guardedFields reads, for each key a list item holds, its value: a
// string, a float64, a bool, a time.Time, or nil.
var guardedFields = map[FilterKey]func(*Log) any{
	KeyID:                  func(l *Log) any { return l.ID },
	KeyCreatedAt:           func(l *Log) any { return l.CreatedAt },
	KeyProvider:            func(l *Log) any { return l.Provider },
	KeyModel:               func(l *Log) any { return l.Model },
	KeyModelType:           func(l *Log) any { return strOrNil(l.ModelType) },
	KeyRequestType:         func(l *Log) any { return strOrNil(l.RequestType) },
	KeyRequestContentType:  func(l *Log) any { return strOrNil(l.RequestContentType) },
	KeyResponseContentType: func(l *Log) any { return strOrNil(l.ResponseContentType) },
	KeySuccess:             func(l *Log) any { return l.Success },
	KeyCached:              func(l *Log) any { return l.Cached },
	KeyDuration:            func(l *Log) any { return float64(l.Duration) },
	KeyCost:                func(l *Log) any { return floatOrNil(l.Cost) },
	KeyTokensIn:            func(l *Log) any { return intOrNil(l.TokensIn) },
	KeyTokensOut:           func(l *Log) any { return intOrNil(l.TokensOut) },
	KeyTokens: func(l *Log) any { // assumed: tokens in and out together
		if l.TokensIn == nil || l.TokensOut == nil {
			return nil
		}
		return float64(*l.TokensIn + *l.TokensOut)
	},
}

// holds reports whether a log's value v could satisfy f.
func holds(f Filter, v any) bool {
	switch f.Operator {
	case OpEq:
		return anyValue(f.Values, func(want any) bool {
			eq, ok := equal(v, want)
			return eq || !ok
		})
	case OpNeq:
		for _, want := range f.Values {
			if eq, ok := equal(v, want); eq && ok {
				return false
			}
		}
		return true
	case OpContains:
		s, ok := v.(string)
		return !ok || anyValue(f.Values, func(want any) bool {
			w, ok := want.(string)
			return !ok || strings.Contains(strings.ToLower(s), strings.ToLower(w))
		})
	case OpLt, OpGt:
		return v == nil || anyValue(f.Values, func(bound any) bool {
			c, ok := compare(v, bound)
			return !ok || (f.Operator == OpLt && c < 0) || (f.Operator == OpGt && c > 0)
		})
	}
	return true
}

// equal says whether a log's value v equals the filter value want; ok is
// false where the guard's reading leaves it open. A null value (JSON null)
// asks for "no value": a null field equals it and any set field differs —
// except the empty string, which an upstream storing absent strings as ""
// may count as no value. A null field against a set value is left open
// (whether null matches neq "x" is the upstream's choice).
func equal(v, want any) (eq, ok bool) {
	switch {
	case want == nil:
		if s, isStr := v.(string); isStr && s == "" {
			return false, false
		}
		return v == nil, true
	case v == nil:
		return false, false
	}
	c, ok := compare(v, want)
	return ok && c == 0, ok
}

func anyValue(values []any, pred func(any) bool) bool {
	for _, w := range values {
		if pred(w) {
			return true
		}
	}
	return len(values) == 0
}

// compare orders a log's value against a filter value; ok is false when
// the two cannot be compared, which the guard never counts against the
// upstream.
func compare(v, want any) (c int, ok bool) {
	switch x := v.(type) {
	case string:
		w, ok := want.(string)
		return strings.Compare(strings.ToLower(x), strings.ToLower(w)), ok
	case bool:
		w, ok := want.(bool)
		if !ok || x == w {
			return 0, ok
		}
		return 1, true
	case float64:
		w, ok := number(want)
		switch {
		case !ok:
			return 0, false
		case math.Abs(x-w) <= 1e-9*math.Max(1, math.Abs(w)):
			return 0, true
		case x < w:
			return -1, true
		}
		return 1, true
	case time.Time:
		s, ok := want.(string)
		if !ok {
			return 0, false
		}
		w, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, false
		}
		return x.Compare(w), true
	}
	return 0, false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func floatOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func intOrNil(n *int) any {
	if n == nil {
		return nil
	}
	return float64(*n)
}
