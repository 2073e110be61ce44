package restclient

import (
	"testing"
	"time"
)

// TestGuardFlagsWhatNoReadingAdmits: each judged key and operator flags a
// log no reading of the filter admits, and lets through one that some
// reading does (case, nulls, several values).
func TestGuardFlagsWhatNoReadingAdmits(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	log := Log{ID: "01ABC", CreatedAt: at, Provider: "OpenAI", Model: "gpt-4o", Duration: 120, Success: true,
		TokensIn: ptr(10), TokensOut: ptr(5), Cost: ptr(0.25), ModelType: ptr("chat")}
	cases := []struct {
		f     Filter
		holds bool
	}{
		{Filter{KeyProvider, OpEq, []any{"openai"}}, true}, // case left open
		{Filter{KeyProvider, OpEq, []any{"anthropic", "openai"}}, true},
		{Filter{KeyProvider, OpEq, []any{"anthropic"}}, false},
		{Filter{KeyProvider, OpNeq, []any{"anthropic"}}, true},
		{Filter{KeyProvider, OpNeq, []any{"anthropic", "OPENAI"}}, false},
		{Filter{KeyModel, OpContains, []any{"GPT"}}, true},
		{Filter{KeyModel, OpContains, []any{"claude"}}, false},
		{Filter{KeySuccess, OpEq, []any{true}}, true},
		{Filter{KeySuccess, OpEq, []any{false}}, false},
		{Filter{KeyCached, OpEq, []any{true}}, false},
		{Filter{KeyDuration, OpGt, []any{100.0}}, true},
		{Filter{KeyDuration, OpLt, []any{100.0}}, false},
		{Filter{KeyCost, OpEq, []any{0.25}}, true},
		{Filter{KeyCost, OpGt, []any{0.5}}, false},
		{Filter{KeyTokensIn, OpLt, []any{11.0}}, true},
		{Filter{KeyTokensOut, OpGt, []any{5.0}}, false},
		{Filter{KeyTokens, OpEq, []any{15.0}}, true},
		{Filter{KeyTokens, OpGt, []any{15.0}}, false},
		{Filter{KeyCreatedAt, OpLt, []any{"2026-12-01T10:00:00.001Z"}}, true},
		{Filter{KeyCreatedAt, OpLt, []any{"2026-12-01T10:00:00.000Z"}}, false}, // the snapshot bound is strict
		{Filter{KeyCreatedAt, OpGt, []any{"2026-12-01T09:59:59.999Z"}}, true},
		{Filter{KeyID, OpEq, []any{"01XYZ", "01ABC"}}, true},
		{Filter{KeyID, OpEq, []any{"01XYZ"}}, false},
		{Filter{KeyModelType, OpEq, []any{"embeddings"}}, false},
		{Filter{KeyRequestType, OpEq, []any{"stream"}}, true}, // a null is left to the upstream's reading
		{Filter{KeyFeedback, OpEq, []any{1.0}}, true},         // not in a list item: not judged
		{Filter{KeyMetadataKey, OpEq, []any{"team"}}, true},
		// A null value means "no value": a set field never equals it.
		{Filter{KeyModelType, OpEq, []any{nil}}, false},
		{Filter{KeyModelType, OpNeq, []any{nil}}, true},
		{Filter{KeyProvider, OpEq, []any{nil}}, false},
		{Filter{KeyCost, OpEq, []any{nil}}, false},
		{Filter{KeySuccess, OpEq, []any{nil}}, false},
		{Filter{KeyModelType, OpEq, []any{nil, "chat"}}, true},
		{Filter{KeyModelType, OpEq, []any{nil, "embeddings"}}, false},
		{Filter{KeyModelType, OpNeq, []any{nil, "CHAT"}}, false},
		{Filter{KeyRequestType, OpEq, []any{nil}}, true},       // a null field has no value
		{Filter{KeyRequestType, OpNeq, []any{nil}}, false},     // …so neq null leaves it out
		{Filter{KeyRequestType, OpNeq, []any{"stream"}}, true}, // null against a value: left open
		{Filter{KeyRequestType, OpNeq, []any{nil, "stream"}}, false},
		{Filter{KeyProvider, OpNeq, []any{42.0}}, true}, // types that cannot compare: left open
	}
	for _, tc := range cases {
		err := checkFiltersApplied([]Filter{tc.f}, []Log{log})
		if got := err == nil; got != tc.holds {
			t.Errorf("%s %s %v: holds = %v, want %v", tc.f.Key, tc.f.Operator, tc.f.Values, got, tc.holds)
		}
		if err != nil && err.Key != tc.f.Key {
			t.Errorf("error names %q, want %q", err.Key, tc.f.Key)
		}
	}
}

// TestGuardLeavesTheEmptyStringOpenAgainstNull: an upstream that stores a
// missing string as "" may count it as no value, or not; neither eq null
// nor neq null is held against it.
func TestGuardLeavesTheEmptyStringOpenAgainstNull(t *testing.T) {
	log := Log{ID: "01ABC", CreatedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), ModelType: ptr("")}
	for _, op := range []Operator{OpEq, OpNeq} {
		if err := checkFiltersApplied([]Filter{{KeyModelType, op, []any{nil}}}, []Log{log}); err != nil {
			t.Errorf("%s null flags a log whose model_type is \"\": %v", op, err)
		}
	}
}

// BenchmarkGuard is the guard's cost on a page of 50 logs under a filter on
// five keys and the snapshot bound.
func BenchmarkGuard(b *testing.B) {
	logs := make([]Log, 50)
	for i := range logs {
		logs[i] = Log{ID: "01ABC", CreatedAt: time.Date(2026, 12, 1, 10, 0, i, 0, time.UTC), Provider: "openai", Model: "gpt-4o",
			Duration: 100 + i, Success: true, TokensIn: ptr(10), TokensOut: ptr(5), Cost: ptr(0.25)}
	}
	filters := []Filter{
		{KeyProvider, OpEq, []any{"openai", "anthropic"}}, {KeySuccess, OpEq, []any{true}},
		{KeyDuration, OpGt, []any{50.0}}, {KeyCost, OpLt, []any{1.0}}, {KeyModel, OpContains, []any{"gpt"}},
		{KeyCreatedAt, OpLt, []any{"2026-12-02T00:00:00.000Z"}},
	}
	for b.Loop() {
		if err := checkFiltersApplied(filters, logs); err != nil {
			b.Fatal(err)
		}
	}
}
