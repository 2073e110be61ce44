package cfsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The filter oracle: what a filter should match, computed from the Logs
// by brute force, independently of the server's keyDef table and matchers.

// bruteField reads a filter key straight off a Log, independently of the
// server's keyDef table: strings, float64s, bools or a time.Time, and
// null=true for a null field. metadata.* yield every key/value.
func bruteField(l Log, key string) (vals []any, null bool) {
	str := func(p *string) ([]any, bool) {
		if p == nil {
			return nil, true
		}
		return []any{*p}, false
	}
	num := func(p *int) ([]any, bool) {
		if p == nil {
			return nil, true
		}
		return []any{float64(*p)}, false
	}
	switch key {
	case "id":
		return []any{l.ID}, false
	case "created_at":
		return []any{l.CreatedAt}, false
	case "request_content_type":
		return str(l.RequestContentType)
	case "response_content_type":
		return str(l.ResponseContentType)
	case "request_type":
		return str(l.RequestType)
	case "success":
		return []any{l.Success}, false
	case "cached":
		return []any{l.Cached}, false
	case "provider":
		return []any{l.Provider}, false
	case "model":
		return []any{l.Model}, false
	case "model_type":
		return str(l.ModelType)
	case "cost":
		if l.Cost == nil {
			return nil, true
		}
		return []any{*l.Cost}, false
	case "tokens":
		if l.TokensIn == nil && l.TokensOut == nil {
			return nil, true
		}
		var n int
		if l.TokensIn != nil {
			n += *l.TokensIn
		}
		if l.TokensOut != nil {
			n += *l.TokensOut
		}
		return []any{float64(n)}, false
	case "tokens_in":
		return num(l.TokensIn)
	case "tokens_out":
		return num(l.TokensOut)
	case "duration":
		return []any{float64(l.Duration)}, false
	case "feedback":
		if l.Feedback == nil {
			return nil, true
		}
		return []any{*l.Feedback}, false
	case "event_id":
		return []any{l.EventID}, false
	case "metadata.key", "metadata.value":
		if l.Metadata == nil {
			return nil, true
		}
		var m map[string]any
		json.Unmarshal([]byte(*l.Metadata), &m)
		for k, v := range m {
			if key == "metadata.key" {
				vals = append(vals, k)
			} else {
				vals = append(vals, stringify(v))
			}
		}
		return vals, false
	case "authentication":
		return []any{l.Authentication}, false
	case "wholesale":
		return []any{l.Wholesale}, false
	case "compatibilityMode":
		return []any{l.CompatibilityMode}, false
	case "dlp_action":
		return []any{l.DLPAction}, false
	case "user_agent":
		return []any{l.UserAgent}, false
	}
	panic("unknown key " + key)
}

func stringify(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	panic(fmt.Sprint(v))
}

// coerce turns a filter value into the field's Go type (the lenient
// spellings included).
func coerce(field, v any) any {
	switch field.(type) {
	case string:
		if s, ok := v.(string); ok {
			return s
		}
		return stringify(v)
	case float64:
		if s, ok := v.(string); ok {
			n, _ := strconv.ParseFloat(s, 64)
			return n
		}
		return v
	case bool:
		if s, ok := v.(string); ok {
			return s == "true"
		}
		return v
	case time.Time:
		t, _ := time.Parse(time.RFC3339Nano, v.(string))
		return t
	}
	panic("type")
}

func cmpAny(a, b any) int {
	switch a := a.(type) {
	case string:
		return strings.Compare(a, b.(string))
	case float64:
		switch bb := b.(float64); {
		case a < bb:
			return -1
		case a > bb:
			return 1
		}
		return 0
	case time.Time:
		return a.Compare(b.(time.Time))
	case bool:
		if a == b.(bool) {
			return 0
		}
		return 1
	}
	panic("type")
}

func bruteMatch(l Log, f Filter) bool {
	fields, null := bruteField(l, f.Key)
	if f.Operator == "neq" {
		return !bruteMatch(l, Filter{f.Key, "eq", f.Value})
	}
	for _, v := range f.Value {
		if v == nil {
			if f.Operator == "eq" && null {
				return true
			}
			continue
		}
		for _, fv := range fields {
			cv := coerce(fv, v)
			switch f.Operator {
			case "eq":
				if cmpAny(fv, cv) == 0 {
					return true
				}
			case "contains":
				if strings.Contains(fv.(string), cv.(string)) {
					return true
				}
			case "lt":
				if cmpAny(fv, cv) < 0 {
					return true
				}
			case "gt":
				if cmpAny(fv, cv) > 0 {
					return true
				}
			}
		}
	}
	return false
}

func bruteFilter(logs []Log, search string, fs ...Filter) []string {
	var ids []string
	for _, l := range logs {
		ok := true
		for _, f := range fs {
			ok = ok && bruteMatch(l, f)
		}
		if search != "" {
			s := strings.ToLower(search)
			md := ""
			if l.Metadata != nil {
				md = *l.Metadata
			}
			ok = ok && slices.ContainsFunc([]string{l.ID, l.Provider, l.Model, l.Path, md}, func(x string) bool {
				return strings.Contains(strings.ToLower(x), s)
			})
		}
		if ok {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

// sampleValues picks filter values for a key from the data: the most and
// a less common value, a median for lt/gt, a substring for contains.
type sample struct {
	common, rare, median any
	sub                  string
}

func sampleFor(logs []Log, key string) sample {
	counts := map[string]int{}
	byStr := map[string]any{}
	var all []any
	for _, l := range logs {
		vals, _ := bruteField(l, key)
		for _, v := range vals {
			k := fmt.Sprint(v)
			counts[k]++
			byStr[k] = v
			all = append(all, v)
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	sort.Slice(all, func(i, j int) bool { return cmpAny(all[i], all[j]) < 0 && fmt.Sprint(all[i]) != fmt.Sprint(all[j]) })
	s := sample{common: byStr[keys[0]], rare: byStr[keys[len(keys)/2]], median: all[len(all)/2]}
	if str, ok := s.common.(string); ok {
		s.sub = str[len(str)/3 : len(str)/3+max(1, len(str)/3)]
	}
	return s
}

// wire turns a sampled Go value into what a client would put in the JSON.
func wire(v any) any {
	if t, ok := v.(time.Time); ok {
		return formatTime(t)
	}
	return v
}
