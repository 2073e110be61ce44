package cfsim

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Filter is one item of the `filters` query parameter.
type Filter struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
	Value    []any  `json:"value"`
}

// parseFilters decodes the `filters` parameter: one JSON array of
// {key, operator, value[]} objects (docs/upstream.md: the live API honours only this
// form; the SDKs' dotted form arrives as other parameter names and is
// ignored). If the parameter is repeated, each occurrence must be such an
// array and they are ANDed together. Value items decode as string, float64,
// bool or nil.
func parseFilters(raws []string) ([]Filter, error) {
	var out []Filter
	for _, raw := range raws {
		var items []json.RawMessage
		if !isJSONKind(raw, '[') || json.Unmarshal([]byte(raw), &items) != nil {
			return nil, fmt.Errorf("filters: must be a JSON array of {key, operator, value} objects")
		}
		for i, item := range items {
			f, err := parseFilter(item)
			if err != nil {
				return nil, fmt.Errorf("filters[%d]: %w", i, err)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

func parseFilter(item json.RawMessage) (Filter, error) {
	var obj map[string]json.RawMessage
	if !isJSONKind(string(item), '{') || json.Unmarshal(item, &obj) != nil {
		return Filter{}, fmt.Errorf("must be an object")
	}
	var f Filter
	if json.Unmarshal(obj["key"], &f.Key) != nil || !isJSONKind(string(obj["key"]), '"') {
		return Filter{}, fmt.Errorf("key: required string")
	}
	if json.Unmarshal(obj["operator"], &f.Operator) != nil || !isJSONKind(string(obj["operator"]), '"') {
		return Filter{}, fmt.Errorf("operator: required string")
	}
	var vals []json.RawMessage
	if !isJSONKind(string(obj["value"]), '[') || json.Unmarshal(obj["value"], &vals) != nil {
		return Filter{}, fmt.Errorf("value: required array")
	}
	f.Value = make([]any, len(vals))
	for i, v := range vals {
		if isJSONKind(string(v), '[') || isJSONKind(string(v), '{') {
			return Filter{}, fmt.Errorf("value[%d]: must be a string, number, boolean or null", i)
		}
		if err := json.Unmarshal(v, &f.Value[i]); err != nil {
			return Filter{}, fmt.Errorf("value[%d]: %v", i, err)
		}
	}
	return f, nil
}

// isJSONKind reports whether the JSON text s starts (after blanks) with c;
// it tells `null` and scalars apart from the array/object/string expected.
func isJSONKind(s string, c byte) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return len(s) > 0 && s[0] == c
}

// predicate tests one log.
type predicate func(e *entry) bool

type fieldKind int

const (
	kindString fieldKind = iota
	kindNumber
	kindBool
	kindTime
)

// keyDef is how a filter key reads a log. One accessor is set, by kind;
// ok=false means the field is null. metadata.key / metadata.value use multi
// (several strings, matching when ANY does); other string keys use str,
// which does not allocate — filters run over every log of a gateway.
type keyDef struct {
	kind    fieldKind
	str     func(e *entry) (string, bool)
	multi   func(e *entry) ([]string, bool)
	num     func(e *entry) (float64, bool)
	boolean func(e *entry) bool
	// lenient: non-string scalars are accepted and stringified
	// (metadata values may be numbers or booleans).
	lenient bool
}

func one(s string) (string, bool) { return s, true }

func optStr(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	return *p, true
}

func optNum[T int | float64](p *T) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return float64(*p), true
}

// filterKeys are the 24 keys of the spec's enum.
var filterKeys = map[string]keyDef{
	"id":                    {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.ID) }},
	"created_at":            {kind: kindTime},
	"request_content_type":  {kind: kindString, str: func(e *entry) (string, bool) { return optStr(e.log.RequestContentType) }},
	"response_content_type": {kind: kindString, str: func(e *entry) (string, bool) { return optStr(e.log.ResponseContentType) }},
	"request_type":          {kind: kindString, str: func(e *entry) (string, bool) { return optStr(e.log.RequestType) }},
	"success":               {kind: kindBool, boolean: func(e *entry) bool { return e.log.Success }},
	"cached":                {kind: kindBool, boolean: func(e *entry) bool { return e.log.Cached }},
	"provider":              {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.Provider) }},
	"model":                 {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.Model) }},
	"model_type":            {kind: kindString, str: func(e *entry) (string, bool) { return optStr(e.log.ModelType) }},
	"cost":                  {kind: kindNumber, num: func(e *entry) (float64, bool) { return optNum(e.log.Cost) }},
	"tokens":                {kind: kindNumber, num: func(e *entry) (float64, bool) { return optNum(e.total) }},
	"tokens_in":             {kind: kindNumber, num: func(e *entry) (float64, bool) { return optNum(e.log.TokensIn) }},
	"tokens_out":            {kind: kindNumber, num: func(e *entry) (float64, bool) { return optNum(e.log.TokensOut) }},
	"duration":              {kind: kindNumber, num: func(e *entry) (float64, bool) { return float64(e.log.Duration), true }},
	"feedback":              {kind: kindNumber, num: func(e *entry) (float64, bool) { return optNum(e.log.Feedback) }},
	"event_id":              {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.EventID) }},
	"metadata.key":          {kind: kindString, multi: func(e *entry) ([]string, bool) { return e.metaKeys, e.metaKeys != nil }},
	"metadata.value":        {kind: kindString, lenient: true, multi: func(e *entry) ([]string, bool) { return e.metaVals, e.metaVals != nil }},
	"authentication":        {kind: kindBool, boolean: func(e *entry) bool { return e.log.Authentication }},
	"wholesale":             {kind: kindBool, boolean: func(e *entry) bool { return e.log.Wholesale }},
	"compatibilityMode":     {kind: kindBool, boolean: func(e *entry) bool { return e.log.CompatibilityMode }},
	"dlp_action":            {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.DLPAction) }},
	"user_agent":            {kind: kindString, str: func(e *entry) (string, bool) { return one(e.log.UserAgent) }},
}

// compileFilters turns filters into predicates, rejecting what the upstream
// schema cannot mean. The semantics (docs/upstream.md, where the upstream is silent
// we chose):
//   - eq: the field equals ANY of the values; a null value matches a null field.
//   - neq: exactly NOT eq ("none of"); so a null field matches neq of any
//     non-null values.
//   - contains: case-SENSITIVE substring, ANY of the values; string keys only.
//   - lt / gt: exactly one value; numbers, created_at (as a time) and strings
//     (byte order; ids are time-ordered ULIDs); not booleans.
//   - a null field never matches eq, contains, lt or gt of non-null values.
func compileFilters(fs []Filter) ([]predicate, error) {
	preds := make([]predicate, 0, len(fs))
	for i, f := range fs {
		p, err := compileFilter(f)
		if err != nil {
			return nil, fmt.Errorf("filters[%d] (%s %s): %w", i, f.Key, f.Operator, err)
		}
		preds = append(preds, p)
	}
	return preds, nil
}

func compileFilter(f Filter) (predicate, error) {
	def, ok := filterKeys[f.Key]
	if !ok {
		return nil, fmt.Errorf("unknown key %q", f.Key)
	}
	switch f.Operator {
	case "eq", "neq":
	case "contains":
		if def.kind != kindString {
			return nil, fmt.Errorf("operator contains applies to string keys only")
		}
	case "lt", "gt":
		if def.kind == kindBool {
			return nil, fmt.Errorf("operator %s does not apply to a boolean key", f.Operator)
		}
		if len(f.Value) != 1 {
			return nil, fmt.Errorf("operator %s takes exactly one value", f.Operator)
		}
	default:
		return nil, fmt.Errorf("unknown operator %q", f.Operator)
	}
	if len(f.Value) == 0 {
		return nil, fmt.Errorf("value must not be empty")
	}
	hasNull := false
	for _, v := range f.Value {
		if v == nil {
			hasNull = true
		}
	}
	if hasNull && f.Operator != "eq" && f.Operator != "neq" {
		return nil, fmt.Errorf("null is only meaningful with eq and neq")
	}
	var match predicate
	var err error
	switch def.kind {
	case kindString:
		match, err = stringMatcher(def, f)
	case kindNumber:
		match, err = numberMatcher(def, f)
	case kindBool:
		match, err = boolMatcher(def, f)
	case kindTime:
		match, err = timeMatcher(f)
	}
	if err != nil {
		return nil, err
	}
	if f.Operator == "neq" {
		return func(e *entry) bool { return !match(e) }, nil
	}
	return match, nil
}

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

// searchPredicate: `search` is a case-insensitive substring match over id,
// provider, model, path and the raw metadata JSON (the upstream leaves it
// undocumented; this is our choice). An empty search matches everything.
func searchPredicate(q string) predicate {
	q = strings.ToLower(q)
	return func(e *entry) bool {
		for _, s := range e.searchIn {
			if strings.Contains(s, q) {
				return true
			}
		}
		return false
	}
}
