package fastpath

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// FuzzScalarsMatchGqlgen holds each scalar writer to the gqlgen marshaller
// it stands in for, on any string and any float.
func FuzzScalarsMatchGqlgen(f *testing.F) {
	f.Add("plain", 0.1)
	f.Add("quote\" back\\ nl\n tab\t cr\r ctl\x01\x1f del\x7f <a&b> é 𝄞 \u2028 bad\xff\xfe", 1e21)
	f.Add("", -0.0)
	f.Add("\x00", 5e-324)
	f.Add("𝄞", math.MaxFloat64)
	f.Add("x", 123456789.0)
	f.Add("y", 1e-7)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		if got := appendString(nil, s); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("string %q: got %s, gqlgen %s", s, got, want.Bytes())
		}
		want.Reset()
		err := graphql.MarshalFloatContext(x).MarshalGQLContext(context.Background(), &want)
		got, ok := appendFloatPtr(nil, &x)
		if ok != (err == nil) || (ok && !bytes.Equal(got, want.Bytes())) {
			t.Errorf("float %v: got %s (%v), gqlgen %s (%v)", x, got, ok, want.Bytes(), err)
		}
		want.Reset()
		n := int(int32(math.Float64bits(x)))
		graphql.MarshalInt(n).MarshalGQL(&want)
		if got := appendInt(nil, n); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("int %d: got %s, gqlgen %s", n, got, want.Bytes())
		}
		for _, v := range []any{s, x, map[string]any{s: x, "k": []any{s, true, nil}}} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				break // encoding/json refuses them, and gqlgen panics: the fast path falls back
			}
			want.Reset()
			graphql.MarshalAny(v).MarshalGQL(&want)
			if got, ok := appendAny(nil, v); !ok || !bytes.Equal(got, want.Bytes()) {
				t.Errorf("any %#v: got %s (%v), gqlgen %s", v, got, ok, want.Bytes())
			}
		}
	})
}

func TestScalarsRefuseWhatGqlgenRefuses(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, ok := appendFloatPtr(nil, &x); ok {
			t.Errorf("%v written; gqlgen answers a field error for it", x)
		}
	}
	if _, ok := appendAny(nil, math.Inf(1)); ok {
		t.Error("an infinity written as JSON; gqlgen panics on it")
	}
}
