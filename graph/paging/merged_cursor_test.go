package paging

import (
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	set    = HashQuery("gateways", "acc", "a", "b", "c")
	setOth = HashQuery("gateways", "acc", "a", "b")
)

func TestMergedCursorRoundTrip(t *testing.T) {
	for _, c := range []MergedCursor{
		{Snapshot: 1764158400123, Query: q, Set: set, Gateway: 2, Before: []int{4, 0, 17}},
		{Snapshot: 1, Query: 0, Set: 0, Gateway: 0, Before: []int{0}},
		{Snapshot: math.MaxInt64, Query: math.MaxUint64, Set: math.MaxUint64, Gateway: 99, Before: slices.Repeat([]int{MaxOffset}, 100)},
	} {
		s := signer.EncodeMerged(c)
		got, err := signer.DecodeMerged(s, len(c.Before))
		if err != nil || got.Snapshot != c.Snapshot || got.Query != c.Query || got.Set != c.Set || got.Gateway != c.Gateway || !slices.Equal(got.Before, c.Before) {
			t.Fatalf("round trip of %+v: %+v, %v", c, got, err)
		}
		if len(s) > MaxMergedCursorLen(len(c.Before)) {
			t.Fatalf("cursor of %d gateways is %d long, more than %d", len(c.Before), len(s), MaxMergedCursorLen(len(c.Before)))
		}
		if _, err := signer.DecodeMerged(s, len(c.Before)-1); !errors.Is(err, ErrBadCursor) {
			t.Fatalf("a cursor of %d gateways is accepted where at most %d may be: %v", len(c.Before), len(c.Before)-1, err)
		}
	}
}

// TestForgedMergedCursorsAreRefused: like single-gateway cursors, every
// change to the text or the tag is refused, and so are signed cursors whose
// fields are out of bounds.
func TestForgedMergedCursorsAreRefused(t *testing.T) {
	good := MergedCursor{Snapshot: now.UnixMilli() - 1000, Query: q, Set: set, Gateway: 1, Before: []int{3, 0, 9}}
	str := signer.EncodeMerged(good)
	raw, _ := base64.RawURLEncoding.DecodeString(str)
	text := raw[:len(raw)-tagLen]
	edit := func(f func(p []string)) string { // re-signed: only the bounds can refuse it
		p := strings.Split(string(text), ".")
		f(p)
		b := []byte(strings.Join(p, "."))
		return base64.RawURLEncoding.EncodeToString(signer.appendTag(b, b))
	}
	cases := map[string]string{
		"unsigned":                 base64.RawURLEncoding.EncodeToString(text),
		"another key":              mustSigner("another secret, also 32 bytes long").EncodeMerged(good),
		"signed, gateway past set": edit(func(p []string) { p[4] = "3" }),
		"signed, negative":         edit(func(p []string) { p[5] = "-1" }),
		"signed, beyond MaxOffset": edit(func(p []string) { p[6] = strconv.Itoa(MaxOffset + 1) }),
		"signed, leading zero":     edit(func(p []string) { p[5] = "03" }),
		"signed, zero snapshot":    edit(func(p []string) { p[1] = "0" }),
		"too long":                 strings.Repeat("A", MaxMergedCursorLen(3)+1),
		"non-canonical b64":        str + "=",
	}
	cases["signed, no positions"] = func() string { // three dots fewer
		b := []byte(strings.Join(strings.Split(string(text), ".")[:5], "."))
		return base64.RawURLEncoding.EncodeToString(signer.appendTag(b, b))
	}()
	for i := range raw {
		for bit := range 8 {
			b := slices.Clone(raw)
			b[i] ^= 1 << bit
			cases["flip "+strconv.Itoa(i)+"."+strconv.Itoa(bit)] = base64.RawURLEncoding.EncodeToString(b)
		}
	}
	for name, s := range cases {
		if c, err := signer.DecodeMerged(s, 3); !errors.Is(err, ErrBadCursor) {
			t.Errorf("%s: decoded as %+v, %v", name, c, err)
		}
		var ie *InputError
		if _, err := ParseMerged(Args{After: &s}, lim, walk, 3); !errors.As(err, &ie) || !strings.Contains(ie.Msg, "first page") {
			t.Errorf("%s: ParseMerged error %v, want an InputError telling to start from the first page", name, err)
		}
	}
}

// TestMergedRequestRefuses: cursors of another kind, query, walk or set of
// gateways, and bad sizes, are input errors.
func TestMergedRequestRefuses(t *testing.T) {
	c := func(m MergedCursor) *string { s := signer.EncodeMerged(m); return &s }
	good := MergedCursor{Snapshot: now.UnixMilli() - 1000, Query: q, Set: set, Gateway: 0, Before: []int{1, 2, 3}}
	otherWalk, otherQuery, otherSet, future := good, good, good, good
	otherWalk.Snapshot -= 5
	otherQuery.Query = qOth
	otherSet.Set = setOth
	future.Snapshot = now.Add(time.Hour).UnixMilli()
	single := signer.Encode(Cursor{Snapshot: good.Snapshot, Offset: 3, Query: q})
	cases := map[string]struct {
		a    Args
		want string
	}{
		"first and last":     {Args{First: ptr(1), Last: ptr(1)}, "either first or last"},
		"first over max":     {Args{First: ptr(201)}, "at most 200"},
		"single gateway's":   {Args{After: &single}, "one gateway's logs"},
		"another query":      {Args{After: c(otherQuery)}, "another query"},
		"another walk":       {Args{After: c(good), Before: c(otherWalk)}, "different walks"},
		"future":             {Args{Before: c(future)}, "future"},
		"another set":        {Args{After: c(otherSet)}, "another set of gateways"},
		"another set before": {Args{Last: ptr(3), Before: c(otherSet)}, "another set of gateways"},
	}
	for name, tc := range cases {
		r, err := ParseMerged(tc.a, lim, walk, 3)
		if err == nil {
			err = r.Bind(set, 3)
		}
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tc.want) {
			t.Errorf("%s: %v, want an InputError saying %q", name, err, tc.want)
		}
	}
	// The right set but fewer gateways than the cursor holds is another set too.
	r, err := ParseMerged(Args{After: c(good)}, lim, walk, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Bind(set, 2); err == nil {
		t.Fatal("a cursor of 3 gateways bound to 2")
	}
}

// TestMergedRequestBounds: after a cursor, each gateway's window begins
// past the items before it, and one past the item itself in the item's
// gateway; before a cursor, each ends where the cursor's items begin.
func TestMergedRequestBounds(t *testing.T) {
	after := MergedCursor{Snapshot: now.UnixMilli() - 1000, Query: q, Set: set, Gateway: 1, Before: []int{4, 7, 0}}
	before := MergedCursor{Snapshot: after.Snapshot, Query: q, Set: set, Gateway: 0, Before: []int{9, 8, 2}}
	as, bs := signer.EncodeMerged(after), signer.EncodeMerged(before)
	r, err := ParseMerged(Args{First: ptr(5), After: &as, Before: &bs}, lim, walk, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Bind(set, 3); err != nil {
		t.Fatal(err)
	}
	if r.Snapshot != after.Snapshot {
		t.Fatalf("snapshot %d, want the cursors' %d", r.Snapshot, after.Snapshot)
	}
	want := [][2]int{{4, 9}, {8, 8}, {0, 2}}
	for i, w := range want {
		start, end := r.Gateway(i).Window(-1)
		if start != w[0] || end != w[1] {
			t.Errorf("gateway %d: window [%d,%d), want [%d,%d)", i, start, end, w[0], w[1])
		}
	}
	got, err := signer.DecodeMerged(r.CursorAt(2, []int{1, 2, 3}), 3)
	if err != nil || got.Set != set || got.Query != q || got.Snapshot != after.Snapshot || got.Gateway != 2 {
		t.Fatalf("cursor of the request: %+v, %v", got, err)
	}
}

// FuzzDecodeMergedCursor: nothing but a cursor the service signed decodes,
// and what decodes is within bounds.
func FuzzDecodeMergedCursor(f *testing.F) {
	f.Add(signer.EncodeMerged(MergedCursor{Snapshot: 1764158400123, Query: q, Set: set, Gateway: 1, Before: []int{1, 2}}))
	f.Add(signer.Encode(Cursor{Snapshot: 1764158400123, Offset: 0, Query: q}))
	f.Add("bTEuMS4w")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := signer.DecodeMerged(s, 5)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("error %v does not wrap ErrBadCursor", err)
			}
			return
		}
		if signer.EncodeMerged(c) != s || len(c.Before) == 0 || len(c.Before) > 5 || c.Gateway >= len(c.Before) || c.Snapshot <= 0 {
			t.Fatalf("accepted %q as %+v", s, c)
		}
		for _, n := range c.Before {
			if n < 0 || n > MaxOffset {
				t.Fatalf("accepted %q as %+v", s, c)
			}
		}
	})
}
