package cfsim

import (
	"fmt"
)

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
