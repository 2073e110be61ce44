package observe

import (
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestErrorCodesAndOutcome(t *testing.T) {
	coded := func(c any) *gqlerror.Error { return &gqlerror.Error{Extensions: map[string]any{"code": c}} }
	errs := gqlerror.List{coded("NOT_FOUND"), coded("BAD_USER_INPUT"), coded("NOT_FOUND"), coded("not a code!"), coded(42), {}}
	got := errorCodes(errs)
	if want := []string{"BAD_USER_INPUT", "NOT_FOUND", unknownCode}; !slices.Equal(got, want) {
		t.Errorf("errorCodes = %v, want %v", got, want)
	}
	for codes, want := range map[string]string{"": "ok", "NOT_FOUND": "NOT_FOUND", "A,B": "mixed"} {
		var cs []string
		if codes != "" {
			cs = strings.Split(codes, ",")
		}
		if got := outcome(cs); got != want {
			t.Errorf("outcome(%v) = %q, want %q", cs, got, want)
		}
	}
	var many gqlerror.List
	for i := range 20 {
		many = append(many, coded("CODE_"+string(rune('A'+i))))
	}
	if n := len(errorCodes(many)); n != maxCodes {
		t.Errorf("%d codes kept, want at most %d", n, maxCodes)
	}
}

func TestNameCap(t *testing.T) {
	c := newNameCap(2)
	for _, tc := range []struct{ in, want string }{{"a", "a"}, {"b", "b"}, {"c", otherName}, {"a", "a"}, {"d", otherName}} {
		if got := c.label(tc.in); got != tc.want {
			t.Errorf("label(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
