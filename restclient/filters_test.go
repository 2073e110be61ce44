package restclient

import (
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"
)

// The 24 keys as the spec spells them, written out independently of the
// package's own list.
var specKeys = []string{
	"id", "created_at", "request_content_type", "response_content_type", "request_type",
	"success", "cached", "provider", "model", "model_type", "cost", "tokens", "tokens_in",
	"tokens_out", "duration", "feedback", "event_id", "metadata.key", "metadata.value",
	"authentication", "wholesale", "compatibilityMode", "dlp_action", "user_agent",
}

func TestEncodeFilters(t *testing.T) {
	tests := []struct {
		name string
		in   []Filter
		want string
	}{
		{"none", nil, ""},
		{"empty slice", []Filter{}, ""},
		{"eq one string", []Filter{{KeyProvider, OpEq, []any{"openai"}}},
			`[{"key":"provider","operator":"eq","value":["openai"]}]`},
		{"eq several", []Filter{{KeyProvider, OpEq, []any{"openai", "anthropic"}}},
			`[{"key":"provider","operator":"eq","value":["openai","anthropic"]}]`},
		{"neq bool", []Filter{{KeySuccess, OpNeq, []any{false}}},
			`[{"key":"success","operator":"neq","value":[false]}]`},
		{"contains", []Filter{{KeyModel, OpContains, []any{"gpt-4"}}},
			`[{"key":"model","operator":"contains","value":["gpt-4"]}]`},
		{"lt float", []Filter{{KeyCost, OpLt, []any{0.5}}},
			`[{"key":"cost","operator":"lt","value":[0.5]}]`},
		{"gt int", []Filter{{KeyTokensIn, OpGt, []any{100}}},
			`[{"key":"tokens_in","operator":"gt","value":[100]}]`},
		{"gt int64", []Filter{{KeyDuration, OpGt, []any{int64(1) << 53}}},
			`[{"key":"duration","operator":"gt","value":[9007199254740992]}]`},
		{"integral float", []Filter{{KeyTokens, OpGt, []any{3.0}}},
			`[{"key":"tokens","operator":"gt","value":[3]}]`},
		{"large float", []Filter{{KeyCost, OpLt, []any{1e21}}},
			`[{"key":"cost","operator":"lt","value":[1e+21]}]`},
		{"negative float", []Filter{{KeyFeedback, OpEq, []any{-1.0, 0.0, 1.0}}},
			`[{"key":"feedback","operator":"eq","value":[-1,0,1]}]`},
		{"json.Number kept verbatim", []Filter{{KeyCost, OpGt, []any{json.Number("1.50")}}},
			`[{"key":"cost","operator":"gt","value":[1.50]}]`},
		{"mixed types", []Filter{{KeyEventID, OpEq, []any{"a", 1, int64(2), 3.5, true, json.Number("-4e2")}}},
			`[{"key":"event_id","operator":"eq","value":["a",1,2,3.5,true,-4e2]}]`},
		{"metadata.key keeps its dot", []Filter{{KeyMetadataKey, OpEq, []any{"team"}}, {KeyMetadataValue, OpContains, []any{"blue"}}},
			`[{"key":"metadata.key","operator":"eq","value":["team"]},{"key":"metadata.value","operator":"contains","value":["blue"]}]`},
		{"the documented example", []Filter{{KeyProvider, OpEq, []any{"openai", "anthropic"}}, {KeyCost, OpGt, []any{0.5}}},
			`[{"key":"provider","operator":"eq","value":["openai","anthropic"]},{"key":"cost","operator":"gt","value":[0.5]}]`},
		{"created_at as time text", []Filter{{KeyCreatedAt, OpGt, []any{"2025-01-02T03:04:05Z"}}},
			`[{"key":"created_at","operator":"gt","value":["2025-01-02T03:04:05Z"]}]`},
		{"escaping without HTML escapes", []Filter{{KeyUserAgent, OpContains, []any{"a<b>&\"c\"\\é\n"}}},
			`[{"key":"user_agent","operator":"contains","value":["a<b>&\"c\"\\é\n"]}]`},
		{"empty string value", []Filter{{KeyDLPAction, OpEq, []any{""}}},
			`[{"key":"dlp_action","operator":"eq","value":[""]}]`},
		{"eq null: no value", []Filter{{KeyModelType, OpEq, []any{nil}}},
			`[{"key":"model_type","operator":"eq","value":[null]}]`},
		{"neq null: a value", []Filter{{KeyModelType, OpNeq, []any{nil}}},
			`[{"key":"model_type","operator":"neq","value":[null]}]`},
		{"null among strings", []Filter{{KeyRequestType, OpEq, []any{"stream", nil}}},
			`[{"key":"request_type","operator":"eq","value":["stream",null]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeFilters(tt.in)
			if err != nil {
				t.Fatalf("EncodeFilters: %v", err)
			}
			if got != tt.want {
				t.Errorf("EncodeFilters\n got %s\nwant %s", got, tt.want)
			}
			if got != "" && !json.Valid([]byte(got)) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}

func TestEncodeFiltersAllKeys(t *testing.T) {
	if got := FilterKeys(); len(got) != 24 || len(specKeys) != 24 {
		t.Fatalf("want 24 keys, package has %d", len(got))
	}
	for i, k := range FilterKeys() {
		if string(k) != specKeys[i] {
			t.Errorf("key %d = %q, spec says %q", i, k, specKeys[i])
		}
	}
	for _, k := range specKeys {
		got, err := EncodeFilters([]Filter{{FilterKey(k), OpEq, []any{"x"}}})
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		want := `[{"key":"` + k + `","operator":"eq","value":["x"]}]`
		if got != want {
			t.Errorf("%s: got %s want %s", k, got, want)
		}
	}
}

func TestEncodeFiltersRejects(t *testing.T) {
	tests := []struct {
		name  string
		in    Filter
		field string
	}{
		{"unknown key", Filter{"provider_name", OpEq, []any{"x"}}, "filters[0].key"},
		{"empty key", Filter{"", OpEq, []any{"x"}}, "filters[0].key"},
		{"key wrong case", Filter{"Provider", OpEq, []any{"x"}}, "filters[0].key"},
		{"bare metadata", Filter{"metadata", OpEq, []any{"x"}}, "filters[0].key"},
		{"dotted SDK form as key", Filter{"filters.key", OpEq, []any{"x"}}, "filters[0].key"},
		{"compatibility mode snake", Filter{"compatibility_mode", OpEq, []any{"x"}}, "filters[0].key"},
		{"unknown operator", Filter{KeyCost, "ge", []any{1}}, "filters[0].operator"},
		{"operator wrong case", Filter{KeyCost, "EQ", []any{1}}, "filters[0].operator"},
		{"empty operator", Filter{KeyCost, "", []any{1}}, "filters[0].operator"},
		{"nil values", Filter{KeyProvider, OpEq, nil}, "filters[0].value"},
		{"empty values", Filter{KeyProvider, OpEq, []any{}}, "filters[0].value"},
		{"lt two values", Filter{KeyCost, OpLt, []any{1, 2}}, "filters[0].value"},
		{"gt two values", Filter{KeyCost, OpGt, []any{1, 2}}, "filters[0].value"},
		{"NaN", Filter{KeyCost, OpLt, []any{math.NaN()}}, "filters[0].value[0]"},
		{"+Inf", Filter{KeyCost, OpLt, []any{math.Inf(1)}}, "filters[0].value[0]"},
		{"-Inf", Filter{KeyCost, OpEq, []any{1.0, math.Inf(-1)}}, "filters[0].value[1]"},
		{"null with contains", Filter{KeyModel, OpContains, []any{nil}}, "filters[0].value[0]"},
		{"null with lt", Filter{KeyCost, OpLt, []any{nil}}, "filters[0].value[0]"},
		{"null with contains after a value", Filter{KeyModel, OpContains, []any{"a", nil}}, "filters[0].value[1]"},
		{"uint", Filter{KeyTokens, OpEq, []any{uint(1)}}, "filters[0].value[0]"},
		{"float32", Filter{KeyCost, OpEq, []any{float32(1)}}, "filters[0].value[0]"},
		{"slice", Filter{KeyModel, OpEq, []any{[]string{"a"}}}, "filters[0].value[0]"},
		{"struct", Filter{KeyModel, OpEq, []any{struct{}{}}}, "filters[0].value[0]"},
		{"json.Number not a number", Filter{KeyCost, OpEq, []any{json.Number("abc")}}, "filters[0].value[0]"},
		{"json.Number leading zero", Filter{KeyCost, OpEq, []any{json.Number("01")}}, "filters[0].value[0]"},
		{"json.Number empty", Filter{KeyCost, OpEq, []any{json.Number("")}}, "filters[0].value[0]"},
		{"json.Number injection", Filter{KeyCost, OpEq, []any{json.Number(`1]}],{"x":[1`)}}, "filters[0].value[0]"},
		{"json.Number overflow", Filter{KeyCost, OpEq, []any{json.Number("1e400")}}, "filters[0].value[0]"},
		{"invalid UTF-8", Filter{KeyModel, OpEq, []any{"a\xffb"}}, "filters[0].value[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeFilters([]Filter{tt.in})
			if err == nil {
				t.Fatalf("want an error, got %s", got)
			}
			var ie *InvalidInputError
			if !errors.As(err, &ie) || ie.Field != tt.field {
				t.Fatalf("want *InvalidInputError for %s, got %#v", tt.field, err)
			}
			if got != "" {
				t.Errorf("output on error: %q", got)
			}
		})
	}
	// The index names the offending filter.
	_, err := EncodeFilters([]Filter{{KeyModel, OpEq, []any{"ok"}}, {"bogus", OpEq, []any{"x"}}})
	var ie *InvalidInputError
	if !errors.As(err, &ie) || ie.Field != "filters[1].key" {
		t.Errorf("got %v", err)
	}
}

func TestListLogsParamsEncode(t *testing.T) {
	tests := []struct {
		name string
		in   ListLogsParams
		want string
	}{
		{"zero value sends nothing", ListLogsParams{}, ""},
		{"paging", ListLogsParams{Page: 3, PerPage: 50}, "page=3&per_page=50"},
		{"order", ListLogsParams{OrderBy: OrderByModelType, Direction: Asc}, "order_by=model_type&order_by_direction=asc"},
		{"search escaped", ListLogsParams{Search: "gpt 4o & more=1"}, "search=gpt+4o+%26+more%3D1"},
		{"meta info", ListLogsParams{MetaInfo: true}, "meta_info=true"},
		{"one filter", ListLogsParams{Filters: []Filter{{KeyProvider, OpEq, []any{"openai"}}}},
			"filters=%5B%7B%22key%22%3A%22provider%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%5B%22openai%22%5D%7D%5D"},
		{"metadata.key", ListLogsParams{Filters: []Filter{{KeyMetadataKey, OpEq, []any{"team"}}}},
			"filters=%5B%7B%22key%22%3A%22metadata.key%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%5B%22team%22%5D%7D%5D"},
		{"numbers and bools", ListLogsParams{Filters: []Filter{{KeyCost, OpGt, []any{0.5}}, {KeyCached, OpEq, []any{true}}}},
			"filters=%5B%7B%22key%22%3A%22cost%22%2C%22operator%22%3A%22gt%22%2C%22value%22%3A%5B0.5%5D%7D%2C%7B%22key%22%3A%22cached%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%5Btrue%5D%7D%5D"},
		{"everything, names sorted", ListLogsParams{
			Page: 2, PerPage: 1, OrderBy: OrderByCreatedAt, Direction: Desc, Search: "x",
			MetaInfo: true, Filters: []Filter{{KeySuccess, OpEq, []any{false}}},
		}, "filters=%5B%7B%22key%22%3A%22success%22%2C%22operator%22%3A%22eq%22%2C%22value%22%3A%5Bfalse%5D%7D%5D&meta_info=true&order_by=created_at&order_by_direction=desc&page=2&per_page=1&search=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if got != tt.want {
				t.Errorf("Encode\n got %s\nwant %s", got, tt.want)
			}
			again, _ := tt.in.Encode()
			if again != got {
				t.Errorf("not deterministic: %s vs %s", got, again)
			}
			assertNoDottedForm(t, got)
		})
	}
}

// assertNoDottedForm checks that filters travel only as one JSON parameter,
// never in the SDKs' dotted or bracketed form the live API ignores.
func assertNoDottedForm(t *testing.T, q string) {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatalf("ParseQuery: %v", err)
	}
	for name := range v {
		if strings.HasPrefix(name, "filters.") || strings.HasPrefix(name, "filters[") {
			t.Errorf("dotted/bracketed filter parameter %q in %s", name, q)
		}
	}
	if fs, ok := v["filters"]; ok {
		if len(fs) != 1 {
			t.Errorf("filters sent %d times", len(fs))
		}
		var arr []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(fs[0]), &arr); err != nil || len(arr) == 0 {
			t.Errorf("filters is not a JSON array: %q (%v)", fs[0], err)
		}
	}
}

func TestListLogsParamsEncodeRejects(t *testing.T) {
	tests := []struct {
		name  string
		in    ListLogsParams
		field string
	}{
		{"negative page", ListLogsParams{Page: -1}, "page"},
		{"negative per_page", ListLogsParams{PerPage: -1}, "per_page"},
		{"per_page over max", ListLogsParams{PerPage: MaxPerPage + 1}, "per_page"},
		{"unknown order_by", ListLogsParams{OrderBy: "cost"}, "order_by"},
		{"unknown direction", ListLogsParams{Direction: "up"}, "order_by_direction"},
		{"search not UTF-8", ListLogsParams{Search: "\xff"}, "search"},
		{"bad filter", ListLogsParams{Filters: []Filter{{KeyCost, OpLt, []any{1, 2}}}}, "filters[0].value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Encode()
			var ie *InvalidInputError
			if !errors.As(err, &ie) || ie.Field != tt.field {
				t.Fatalf("want *InvalidInputError for %s, got %q, %v", tt.field, got, err)
			}
		})
	}
}

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "12": true, "1.5": true, "-4e2": true, "1E+5": true, "2.50e-3": true,
		"": false, "-": false, "01": false, "1.": false, ".5": false, "+1": false, "1e": false, "1e+": false,
		" 1": false, "1 ": false, "1\n": false, "1 2": false, "0x1": false, "NaN": false, "true": false, `"1"`: false, "[1]": false,
	} {
		if got := isJSONNumber(s); got != want {
			t.Errorf("isJSONNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
