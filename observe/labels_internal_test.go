package observe

import (
	"slices"
	"strings"
	"testing"
)

func TestErrorCodesAndOutcome(t *testing.T) {
	got := Operation{Codes: []string{"NOT_FOUND", "BAD_USER_INPUT", "NOT_FOUND", "not a code!", ""}}.codes()
	if want := []string{"BAD_USER_INPUT", "NOT_FOUND", unknownCode}; !slices.Equal(got, want) {
		t.Errorf("codes = %v, want %v", got, want)
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
	var many Operation
	for i := range 20 {
		many.Codes = append(many.Codes, "CODE_"+string(rune('A'+i)))
	}
	if n := len(many.codes()); n != maxCodes {
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
