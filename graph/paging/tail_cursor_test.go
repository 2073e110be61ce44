package paging

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestTailCursorRoundTrip: a tail cursor decodes to what was encoded, is
// recognised as one, and is refused when altered, signed with another key,
// or of another kind.
func TestTailCursorRoundTrip(t *testing.T) {
	s := RandomSigner()
	for _, c := range []TailCursor{
		{At: 1_790_000_000_123, Query: HashQuery("a", "g", "")},
		{At: 1_790_000_000_123, Query: HashQuery("a", "g", "f"), IDs: []string{"01A", "01B", "01C"}},
	} {
		str := s.EncodeTail(c)
		got, err := s.DecodeTail(str)
		if err != nil || got.At != c.At || got.Query != c.Query || !slices.Equal(got.IDs, c.IDs) {
			t.Fatalf("DecodeTail(EncodeTail(%+v)) = %+v, %v", c, got, err)
		}
		if !IsTail(str) {
			t.Fatalf("IsTail(%q) = false", str)
		}
		flipped := []byte(str)
		flipped[len(flipped)/2] ^= 1
		for what, bad := range map[string]string{"altered": string(flipped), "another key": RandomSigner().EncodeTail(c)} {
			if _, err := s.DecodeTail(bad); !errors.Is(err, ErrBadCursor) {
				t.Errorf("%s: %v, want ErrBadCursor", what, err)
			}
		}
	}
	conn := s.Encode(Cursor{Snapshot: 1, Offset: 2, Query: 3})
	if IsTail(conn) {
		t.Error("a connection cursor passes for a tail's")
	}
	if _, err := s.DecodeTail(conn); !errors.Is(err, ErrBadCursor) {
		t.Errorf("a connection cursor decoded as a tail's: %v", err)
	}
	many := TailCursor{At: 1, IDs: make([]string, MaxTailIDs+1)}
	for i := range many.IDs {
		many.IDs[i] = strings.Repeat("x", i+1)
	}
	if _, err := s.DecodeTail(s.EncodeTail(many)); !errors.Is(err, ErrBadCursor) {
		t.Errorf("a cursor of %d ids: %v, want refused", len(many.IDs), err)
	}
}
