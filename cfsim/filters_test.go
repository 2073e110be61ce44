package cfsim

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestEveryFilterKeyAndOperator(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 700, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	strKeys := map[string]bool{"id": true, "request_content_type": true, "response_content_type": true, "request_type": true,
		"provider": true, "model": true, "model_type": true, "event_id": true, "metadata.key": true, "metadata.value": true,
		"dlp_action": true, "user_agent": true}
	boolKeys := map[string]bool{"success": true, "cached": true, "authentication": true, "wholesale": true, "compatibilityMode": true}
	if len(filterKeys) != 24 {
		t.Fatalf("%d filter keys, the spec has 24", len(filterKeys))
	}
	for key := range filterKeys {
		var cases []Filter
		if boolKeys[key] {
			cases = []Filter{{key, "eq", []any{true}}, {key, "eq", []any{false}}, {key, "neq", []any{true}},
				{key, "eq", []any{true, false}}, {key, "eq", []any{"true"}}, {key, "eq", []any{nil}}, {key, "neq", []any{nil}}}
		} else {
			s := sampleFor(logs, key)
			cases = []Filter{
				{key, "eq", []any{wire(s.common)}}, {key, "eq", []any{wire(s.common), wire(s.rare)}},
				{key, "neq", []any{wire(s.common)}}, {key, "neq", []any{wire(s.common), wire(s.rare)}},
				{key, "lt", []any{wire(s.median)}}, {key, "gt", []any{wire(s.median)}},
				{key, "eq", []any{nil}}, {key, "neq", []any{nil}}, {key, "eq", []any{nil, wire(s.common)}},
			}
			if strKeys[key] {
				cases = append(cases, Filter{key, "contains", []any{s.sub}}, Filter{key, "contains", []any{strings.ToUpper(s.sub) + "§", s.sub}},
					Filter{key, "contains", []any{strings.ToUpper(s.sub)}}) // case-sensitive
			}
			if n, ok := s.median.(float64); ok {
				cases = append(cases, Filter{key, "gt", []any{strconv.FormatFloat(n, 'f', -1, 64)}}) // numeric string
			}
		}
		selective := false
		for _, c := range cases {
			want := bruteFilter(logs, "", c)
			got, total := f.listAll("g", filtersQ(c))
			if total != len(want) || !slices.Equal(got, want) {
				t.Errorf("%s %s %v: got %d (total_count %d), want %d", c.Key, c.Operator, c.Value, len(got), total, len(want))
			}
			selective = selective || (len(want) > 0 && len(want) < len(logs))
		}
		if !selective {
			t.Errorf("key %s: no case selected a proper subset; the test proves nothing", key)
		}
	}
}

func TestFiltersCombineWithAND(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 700, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	fs := []Filter{{"provider", "eq", []any{"openai", "anthropic"}}, {"cost", "gt", []any{0.0005}},
		{"success", "eq", []any{true}}, {"metadata.key", "neq", []any{"beta"}}}
	want := bruteFilter(logs, "", fs...)
	if len(want) == 0 {
		t.Fatal("combination selects nothing; pick other values")
	}
	got, total := f.listAll("g", filtersQ(fs...))
	if total != len(want) || !slices.Equal(got, want) {
		t.Fatalf("got %d, want %d", len(got), len(want))
	}
	// Repeated filters parameters are ANDed too.
	q := filtersQ(fs[:2]...)
	q.Add("filters", filtersQ(fs[2:]...).Get("filters"))
	if got, _ := f.listAll("g", q); !slices.Equal(got, want) {
		t.Fatal("repeated filters parameters not ANDed")
	}
}

func TestCreatedAtFilterIsTimeComparison(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	pivot := logs[100].CreatedAt
	// The same instant in another zone and with extra digits.
	spelled := pivot.In(time.FixedZone("X", -5*3600)).Format("2006-01-02T15:04:05.000000-07:00")
	want := bruteFilter(logs, "", Filter{"created_at", "gt", []any{formatTime(pivot)}})
	got, _ := f.listAll("g", filtersQ(Filter{"created_at", "gt", []any{spelled}}))
	if !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("gt %s: got %d want %d", spelled, len(got), len(want))
	}
	eq, _ := f.listAll("g", filtersQ(Filter{"created_at", "eq", []any{spelled}}))
	if len(eq) == 0 {
		t.Fatal("eq on an existing created_at matched nothing")
	}
}

func TestDottedFilterFormIgnored(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 120, Gateways: []string{"g"}})
	all := idsOf(f.s.Logs("g"))
	for _, raw := range []string{
		"filters.key=provider&filters.operator=eq&filters.value=openai",
		"filters%5B0%5D%5Bkey%5D=provider&filters%5B0%5D%5Boperator%5D=eq&filters%5B0%5D%5Bvalue%5D%5B0%5D=openai",
		"filters[0][key]=provider&filters[0][operator]=eq&filters[0][value]=openai",
		"provider=openai&success=false&min_cost=1", // deprecated scalars: ignored too
	} {
		q, _ := url.ParseQuery(raw)
		got, total := f.listAll("g", q)
		if total != len(all) || !slices.Equal(got, all) {
			t.Errorf("%s: filtered to %d of %d; the live API ignores this form", raw, total, len(all))
		}
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 500, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	for _, s := range []string{"OpenAI", "llama", "u-1", "team", "chat/completions", logs[7].ID[14:], "zzz-nothing"} {
		want := bruteFilter(logs, s)
		got, total := f.listAll("g", url.Values{"search": {s}})
		if total != len(want) || !slices.Equal(got, want) {
			t.Errorf("search %q: got %d want %d", s, len(got), len(want))
		}
	}
	// search and filters combine.
	fl := Filter{"cached", "eq", []any{false}}
	q := filtersQ(fl)
	q.Set("search", "gpt")
	want := bruteFilter(logs, "gpt", fl)
	if got, _ := f.listAll("g", q); !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("search+filter: got %d want %d", len(got), len(want))
	}
}

func TestFilterParsing(t *testing.T) {
	fs, err := parseFilters([]string{`[{"key":"cost","operator":"gt","value":[0.5, "1", true, null]}]`})
	if err != nil {
		t.Fatal(err)
	}
	want := []Filter{{"cost", "gt", []any{0.5, "1", true, nil}}}
	if !reflect.DeepEqual(fs, want) {
		t.Fatalf("%#v", fs)
	}
}
