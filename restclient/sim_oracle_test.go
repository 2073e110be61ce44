package restclient_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// The oracle: what List Gateway Logs should answer, computed by brute force
// over sim.Logs from the semantics written down in cfsim/doc.go — not from
// cfsim's code, so that a bug on either side of the wire shows as a mismatch.

// keyKind says how a filter key reads a log, and so which operators apply:
// strings take all five, numbers and created_at all but contains, booleans
// only eq and neq.
type keyKind int

const (
	kindString keyKind = iota
	kindNumber
	kindBool
	kindTime
)

func kindOf(k restclient.FilterKey) (keyKind, bool) {
	switch k {
	case restclient.KeyID, restclient.KeyRequestContentType, restclient.KeyResponseContentType,
		restclient.KeyRequestType, restclient.KeyProvider, restclient.KeyModel, restclient.KeyModelType,
		restclient.KeyEventID, restclient.KeyMetadataKey, restclient.KeyMetadataValue,
		restclient.KeyDLPAction, restclient.KeyUserAgent:
		return kindString, true
	case restclient.KeyCost, restclient.KeyTokens, restclient.KeyTokensIn, restclient.KeyTokensOut,
		restclient.KeyDuration, restclient.KeyFeedback:
		return kindNumber, true
	case restclient.KeySuccess, restclient.KeyCached, restclient.KeyAuthentication,
		restclient.KeyWholesale, restclient.KeyCompatibilityMode:
		return kindBool, true
	case restclient.KeyCreatedAt:
		return kindTime, true
	}
	return 0, false
}

func (k keyKind) operators() []restclient.Operator {
	switch k {
	case kindString:
		return []restclient.Operator{restclient.OpEq, restclient.OpNeq, restclient.OpContains, restclient.OpLt, restclient.OpGt}
	case kindBool:
		return []restclient.Operator{restclient.OpEq, restclient.OpNeq}
	default:
		return []restclient.Operator{restclient.OpEq, restclient.OpNeq, restclient.OpLt, restclient.OpGt}
	}
}

func optString(p *string) ([]string, bool) {
	if p == nil {
		return nil, false
	}
	return []string{*p}, true
}

// stringsOf is what a string key sees in a log: one string, or for
// metadata.key / metadata.value every key / stringified value of the
// metadata object; ok=false when the field is null.
func stringsOf(l *cfsim.Log, k restclient.FilterKey) ([]string, bool) {
	switch k {
	case restclient.KeyID:
		return []string{l.ID}, true
	case restclient.KeyRequestContentType:
		return optString(l.RequestContentType)
	case restclient.KeyResponseContentType:
		return optString(l.ResponseContentType)
	case restclient.KeyRequestType:
		return optString(l.RequestType)
	case restclient.KeyProvider:
		return []string{l.Provider}, true
	case restclient.KeyModel:
		return []string{l.Model}, true
	case restclient.KeyModelType:
		return optString(l.ModelType)
	case restclient.KeyEventID:
		return []string{l.EventID}, true
	case restclient.KeyDLPAction:
		return []string{l.DLPAction}, true
	case restclient.KeyUserAgent:
		return []string{l.UserAgent}, true
	case restclient.KeyMetadataKey, restclient.KeyMetadataValue:
		if l.Metadata == nil {
			return nil, false
		}
		dec := json.NewDecoder(strings.NewReader(*l.Metadata))
		dec.UseNumber() // numbers keep their JSON spelling: 2 is "2"
		var m map[string]any
		if dec.Decode(&m) != nil {
			return nil, false
		}
		var out []string
		for key, v := range m {
			if k == restclient.KeyMetadataKey {
				out = append(out, key)
			} else {
				out = append(out, fmt.Sprint(v))
			}
		}
		return out, true
	}
	panic("not a string key: " + string(k))
}

func optNumber[T int | float64](p *T) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return float64(*p), true
}

// totalTokens is tokens_in + tokens_out; one missing side counts as 0, and
// it is null only when both are.
func totalTokens(l *cfsim.Log) *int {
	if l.TokensIn == nil && l.TokensOut == nil {
		return nil
	}
	n := 0
	for _, p := range []*int{l.TokensIn, l.TokensOut} {
		if p != nil {
			n += *p
		}
	}
	return &n
}

func numberOf(l *cfsim.Log, k restclient.FilterKey) (float64, bool) {
	switch k {
	case restclient.KeyCost:
		return optNumber(l.Cost)
	case restclient.KeyTokens:
		return optNumber(totalTokens(l))
	case restclient.KeyTokensIn:
		return optNumber(l.TokensIn)
	case restclient.KeyTokensOut:
		return optNumber(l.TokensOut)
	case restclient.KeyDuration:
		return float64(l.Duration), true
	case restclient.KeyFeedback:
		return optNumber(l.Feedback)
	}
	panic("not a number key: " + string(k))
}

func boolOf(l *cfsim.Log, k restclient.FilterKey) bool {
	switch k {
	case restclient.KeySuccess:
		return l.Success
	case restclient.KeyCached:
		return l.Cached
	case restclient.KeyAuthentication:
		return l.Authentication
	case restclient.KeyWholesale:
		return l.Wholesale
	case restclient.KeyCompatibilityMode:
		return l.CompatibilityMode
	}
	panic("not a boolean key: " + string(k))
}

// matches reports whether l passes one filter.
func matches(l *cfsim.Log, f restclient.Filter) bool {
	if f.Operator == restclient.OpNeq {
		// "none of" is exactly NOT "any of", so a null field passes.
		f.Operator = restclient.OpEq
		return !matches(l, f)
	}
	for _, v := range f.Values {
		if matchesValue(l, f.Key, f.Operator, v) {
			return true // several values: any of them
		}
	}
	return false
}

func matchesValue(l *cfsim.Log, k restclient.FilterKey, op restclient.Operator, v any) bool {
	kind, _ := kindOf(k)
	switch kind {
	case kindString:
		fields, _ := stringsOf(l, k) // null: no strings, so no match
		want := fmt.Sprint(v)        // metadata.value compares numbers and booleans stringified
		for _, s := range fields {
			if op == restclient.OpContains && strings.Contains(s, want) ||
				op != restclient.OpContains && compared(op, strings.Compare(s, want)) {
				return true
			}
		}
		return false
	case kindNumber:
		n, ok := numberOf(l, k)
		return ok && compared(op, cmp.Compare(n, toFloat(v)))
	case kindBool:
		return boolOf(l, k) == v.(bool)
	case kindTime:
		t, err := time.Parse(time.RFC3339Nano, v.(string))
		return err == nil && compared(op, l.CreatedAt.Compare(t))
	}
	return false
}

// toFloat reads a number value as Filter allows it to be given.
func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("oracle: number value %v (%T)", v, v))
}

func compared(op restclient.Operator, c int) bool {
	switch op {
	case restclient.OpEq:
		return c == 0
	case restclient.OpLt:
		return c < 0
	case restclient.OpGt:
		return c > 0
	}
	return false
}

// orderKey compares two logs ascending on the order_by key alone.
func orderKey(by restclient.OrderBy, a, b *cfsim.Log) int {
	switch by {
	case restclient.OrderByProvider:
		return strings.Compare(a.Provider, b.Provider)
	case restclient.OrderByModel:
		return strings.Compare(a.Model, b.Model)
	case restclient.OrderByModelType:
		if a.ModelType == nil || b.ModelType == nil { // no model type sorts first
			return cmp.Compare(boolInt(a.ModelType != nil), boolInt(b.ModelType != nil))
		}
		return strings.Compare(*a.ModelType, *b.ModelType)
	case restclient.OrderBySuccess:
		return cmp.Compare(boolInt(a.Success), boolInt(b.Success))
	case restclient.OrderByCached:
		return cmp.Compare(boolInt(a.Cached), boolInt(b.Cached))
	}
	return 0 // created_at: the first tie-break below
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// expectLogs is the whole answer: the logs passing every filter (AND), in
// the requested order. Ties on the key break by created_at, then id, in the
// same direction; "" means the upstream defaults (created_at, desc).
func expectLogs(logs []cfsim.Log, fs []restclient.Filter, by restclient.OrderBy, dir restclient.Direction) []cfsim.Log {
	var out []cfsim.Log
next:
	for i := range logs {
		for _, f := range fs {
			if !matches(&logs[i], f) {
				continue next
			}
		}
		out = append(out, logs[i])
	}
	slices.SortFunc(out, func(a, b cfsim.Log) int {
		c := cmp.Or(orderKey(by, &a, &b), a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
		if dir == restclient.Asc {
			return c
		}
		return -c
	})
	return out
}

func idsOf(logs []cfsim.Log) []string {
	ids := make([]string, len(logs))
	for i, l := range logs {
		ids[i] = l.ID
	}
	return ids
}

// figures are result_info's meta_info numbers by name; nil = absent.
type figures map[string]*float64

func figuresOf(ri restclient.ResultInfo) figures {
	return figures{
		"min_cost": ri.MinCost, "max_cost": ri.MaxCost,
		"min_duration": ri.MinDuration, "max_duration": ri.MaxDuration,
		"min_tokens_in": ri.MinTokensIn, "max_tokens_in": ri.MaxTokensIn,
		"min_tokens_out": ri.MinTokensOut, "max_tokens_out": ri.MaxTokensOut,
		"min_total_tokens": ri.MinTotalTokens, "max_total_tokens": ri.MaxTotalTokens,
	}
}

// expectFigures computes the min/max over a set, skipping null fields; a
// figure no log has stays absent.
func expectFigures(set []cfsim.Log) figures {
	f := figures{}
	track := func(name string, v *float64) {
		if v == nil {
			return
		}
		if lo := f["min_"+name]; lo == nil || *v < *lo {
			f["min_"+name] = v
		}
		if hi := f["max_"+name]; hi == nil || *v > *hi {
			f["max_"+name] = v
		}
	}
	asFloat := func(p *int) *float64 {
		if p == nil {
			return nil
		}
		x := float64(*p)
		return &x
	}
	for i := range set {
		l := &set[i]
		d := float64(l.Duration)
		track("cost", l.Cost)
		track("duration", &d)
		track("tokens_in", asFloat(l.TokensIn))
		track("tokens_out", asFloat(l.TokensOut))
		track("total_tokens", asFloat(totalTokens(l)))
	}
	return f
}
