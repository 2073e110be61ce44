package paging

import (
	"errors"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

var (
	signer = mustSigner("a test secret of at least 32 bytes")
	lim    = Limits{DefaultSize: 20, MaxSize: 200}
	now    = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	q      = HashQuery("acc", "gw", "[]", "created_at", "desc", "")
	qOth   = HashQuery("acc", "other", "[]", "created_at", "desc", "")
)

func mustSigner(secret string) *Signer {
	s, err := NewSigner([]byte(secret))
	if err != nil {
		panic(err)
	}
	return s
}

var walk = Walk{Query: q, Now: now, Snapshot: now, Cursors: signer}

func TestParseWindows(t *testing.T) {
	c := func(off int) *string {
		return ptr(signer.Encode(Cursor{Snapshot: now.UnixMilli() - 5000, Offset: off, Query: q}))
	}
	cases := []struct {
		name       string
		args       Args
		total      int
		start, end int
	}{
		{"default", Args{}, 500, 0, 20},
		{"first 7", Args{First: ptr(7)}, 500, 0, 7},
		{"first after", Args{First: ptr(10), After: c(9)}, 500, 10, 20},
		{"first 0", Args{First: ptr(0)}, 500, 0, 0},
		{"last from end", Args{Last: ptr(5)}, 500, 495, 500},
		{"last longer than list", Args{Last: ptr(50)}, 30, 0, 30},
		{"last before", Args{Last: ptr(5), Before: c(12)}, 500, 7, 12},
		{"last before near start", Args{Last: ptr(5), Before: c(2)}, 500, 0, 2},
		{"first between", Args{First: ptr(50), After: c(3), Before: c(10)}, 500, 4, 10},
		{"last between", Args{Last: ptr(2), After: c(3), Before: c(10)}, 500, 8, 10},
		{"first 200", Args{First: ptr(200)}, 500, 0, 200},
	}
	for _, tc := range cases {
		r, err := Parse(tc.args, lim, walk)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		start, end := r.Window(tc.total)
		if !r.NeedsTotal() {
			start, end = min(start, tc.total), min(end, tc.total)
		}
		if start != tc.start || end != tc.end {
			t.Errorf("%s: window [%d,%d), want [%d,%d)", tc.name, start, end, tc.start, tc.end)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := Cursor{Snapshot: now.UnixMilli() - 1000, Offset: 3, Query: q}
	otherWalk := Cursor{Snapshot: now.UnixMilli() - 2000, Offset: 9, Query: q}
	cases := map[string]Args{
		"first and last":    {First: ptr(1), Last: ptr(1)},
		"negative first":    {First: ptr(-1)},
		"negative last":     {Last: ptr(-5)},
		"first over max":    {First: ptr(201)},
		"last over max":     {Last: ptr(1000)},
		"garbage cursor":    {After: ptr("garbage")},
		"empty cursor":      {After: ptr("")},
		"truncated cursor":  {After: ptr(signer.Encode(good)[:10])},
		"foreign cursor":    {After: ptr(signer.Encode(Cursor{Snapshot: good.Snapshot, Offset: 3, Query: qOth}))},
		"future cursor":     {Before: ptr(signer.Encode(Cursor{Snapshot: now.Add(time.Hour).UnixMilli(), Offset: 3, Query: q}))},
		"mixed walks":       {After: ptr(signer.Encode(good)), Before: ptr(signer.Encode(otherWalk))},
		"non-canonical b64": {After: ptr(signer.Encode(good) + "=")},
	}
	for name, a := range cases {
		_, err := Parse(a, lim, walk)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: error %v, want *InputError", name, err)
		}
	}
}
