package cfsim

import (
	"encoding/json"
	"fmt"
	"strings"
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
