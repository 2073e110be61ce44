package cfsim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// stringMatcher builds eq (also used for neq), contains, lt and gt.
func stringMatcher(def keyDef, f Filter) (predicate, error) {
	var vals []string
	hasNull := false
	for i, v := range f.Value {
		switch v := v.(type) {
		case nil:
			hasNull = true
		case string:
			vals = append(vals, v)
		case float64:
			if !def.lenient {
				return nil, fmt.Errorf("value[%d]: want a string", i)
			}
			vals = append(vals, strconv.FormatFloat(v, 'f', -1, 64))
		case bool:
			if !def.lenient {
				return nil, fmt.Errorf("value[%d]: want a string", i)
			}
			vals = append(vals, strconv.FormatBool(v))
		}
	}
	var test func(field, v string) bool
	switch f.Operator {
	case "eq", "neq":
		test = func(field, v string) bool { return field == v }
	case "contains":
		test = strings.Contains
	case "lt":
		test = func(field, v string) bool { return field < v }
	case "gt":
		test = func(field, v string) bool { return field > v }
	}
	anyOf := func(fv string) bool {
		for _, v := range vals {
			if test(fv, v) {
				return true
			}
		}
		return false
	}
	if def.multi != nil {
		return func(e *entry) bool {
			fields, ok := def.multi(e)
			if !ok {
				return hasNull
			}
			for _, fv := range fields {
				if anyOf(fv) {
					return true
				}
			}
			return false
		}, nil
	}
	return func(e *entry) bool {
		fv, ok := def.str(e)
		if !ok {
			return hasNull
		}
		return anyOf(fv)
	}, nil
}

func numberMatcher(def keyDef, f Filter) (predicate, error) {
	var vals []float64
	hasNull := false
	for i, v := range f.Value {
		switch v := v.(type) {
		case nil:
			hasNull = true
		case float64:
			vals = append(vals, v)
		case string: // lenient: "0.5" is as good as 0.5
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
				return nil, fmt.Errorf("value[%d]: want a number, got %q", i, v)
			}
			vals = append(vals, n)
		default:
			return nil, fmt.Errorf("value[%d]: want a number", i)
		}
	}
	var test func(field, v float64) bool
	switch f.Operator {
	case "eq", "neq":
		test = func(field, v float64) bool { return field == v }
	case "lt":
		test = func(field, v float64) bool { return field < v }
	case "gt":
		test = func(field, v float64) bool { return field > v }
	}
	return func(e *entry) bool {
		n, ok := def.num(e)
		if !ok {
			return hasNull
		}
		for _, v := range vals {
			if test(n, v) {
				return true
			}
		}
		return false
	}, nil
}

// boolMatcher: booleans are never null, so only eq/neq with true/false.
func boolMatcher(def keyDef, f Filter) (predicate, error) {
	var vals []bool
	for i, v := range f.Value {
		switch v := v.(type) {
		case bool:
			vals = append(vals, v)
		case string: // lenient: "true"/"false"
			if v != "true" && v != "false" {
				return nil, fmt.Errorf("value[%d]: want a boolean, got %q", i, v)
			}
			vals = append(vals, v == "true")
		case nil: // a boolean field is never null: matches nothing
		default:
			return nil, fmt.Errorf("value[%d]: want a boolean", i)
		}
	}
	return func(e *entry) bool {
		b := def.boolean(e)
		for _, v := range vals {
			if b == v {
				return true
			}
		}
		return false
	}, nil
}

// timeMatcher compares created_at as an instant, so any RFC 3339 spelling
// (offsets, any number of fractional digits) works.
func timeMatcher(f Filter) (predicate, error) {
	var vals []time.Time
	for i, v := range f.Value {
		switch v := v.(type) {
		case nil: // created_at is never null: matches nothing
		case string:
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, fmt.Errorf("value[%d]: want an RFC 3339 date-time, got %q", i, v)
			}
			vals = append(vals, t)
		default:
			return nil, fmt.Errorf("value[%d]: want an RFC 3339 date-time string", i)
		}
	}
	var test func(field, v time.Time) bool
	switch f.Operator {
	case "eq", "neq":
		test = time.Time.Equal
	case "lt":
		test = time.Time.Before
	case "gt":
		test = time.Time.After
	}
	return func(e *entry) bool {
		for _, v := range vals {
			if test(e.log.CreatedAt, v) {
				return true
			}
		}
		return false
	}, nil
}
