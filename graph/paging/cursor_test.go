package paging

import (
	"encoding/base64"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{
		{Snapshot: 1764158400123, Offset: 4711, Query: q},
		{Snapshot: 1, Offset: 0, Query: 0},
		{Snapshot: math.MaxInt64, Offset: MaxOffset, Query: math.MaxUint64},
	} {
		s := signer.Encode(c)
		got, err := signer.Decode(s)
		if err != nil || got != c {
			t.Fatalf("round trip of %+v: %+v, %v", c, got, err)
		}
		if len(s) > maxCursorLen {
			t.Fatalf("cursor %q is longer than %d", s, maxCursorLen)
		}
	}
}

// tamper rewrites the text of a cursor the way a client could (the format is
// in the package doc) and keeps or drops its tag.
func tamper(t testing.TB, cursor string, keepTag bool, edit func(f []string)) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	text, tag := raw[:len(raw)-tagLen], raw[len(raw)-tagLen:]
	f := strings.Split(string(text), ".")
	edit(f)
	out := []byte(strings.Join(f, "."))
	if keepTag {
		out = append(out, tag...)
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// TestForgedCursorsAreRefused: every change to a cursor's text, a missing
// tag, a tag of another key, and even a correctly signed offset beyond
// MaxOffset are refused.
func TestForgedCursorsAreRefused(t *testing.T) {
	good := signer.Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: 40, Query: q})
	maxOffset := func(f []string) { f[2] = strconv.FormatInt(math.MaxInt64, 10) }
	cases := map[string]string{
		"offset 2^63-1, tag kept":    tamper(t, good, true, maxOffset),
		"offset 2^63-1, no tag":      tamper(t, good, false, maxOffset),
		"offset 2^63-1, old c1 form": tamper(t, good, false, func(f []string) { maxOffset(f); f[0] = "c1" }),
		"large offset":               tamper(t, good, true, func(f []string) { f[2] = "1000000000000" }),
		"small offset":               tamper(t, good, true, func(f []string) { f[2] = "41" }),
		"snapshot changed":           tamper(t, good, true, func(f []string) { f[1] = strconv.FormatInt(now.UnixMilli()-2000, 10) }),
		"query hash changed":         tamper(t, good, true, func(f []string) { f[3] = qOth.String() }),
		"tag stripped":               tamper(t, good, false, func([]string) {}),
		"other key":                  mustSigner("another secret, also 32 bytes long").Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: 40, Query: q}),
		"random key":                 RandomSigner().Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: 40, Query: q}),
		"signed, beyond MaxOffset":   signer.Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: MaxOffset + 1, Query: q}),
		"signed, negative offset":    signer.Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: -1, Query: q}),
	}
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	for i := range raw { // every single bit flip, text or tag
		for bit := range 8 {
			b := []byte(string(raw))
			b[i] ^= 1 << bit
			cases["flip "+strconv.Itoa(i)+"."+strconv.Itoa(bit)] = base64.RawURLEncoding.EncodeToString(b)
		}
	}
	for name, s := range cases {
		if c, err := signer.Decode(s); !errors.Is(err, ErrBadCursor) {
			t.Errorf("%s: decoded as %+v, %v", name, c, err)
		}
		for _, arg := range []Args{{After: &s}, {Before: &s}} {
			var ie *InputError
			if _, err := Parse(arg, lim, walk); !errors.As(err, &ie) || !strings.Contains(ie.Msg, "first page") {
				t.Errorf("%s: Parse error %v, want an InputError telling to start from the first page", name, err)
			}
		}
	}
}

func TestNewSignerRefusesShortSecrets(t *testing.T) {
	_, err := NewSigner([]byte("short secret"))
	if err == nil || !strings.Contains(err.Error(), "at least 32") || strings.Contains(err.Error(), "short secret") {
		t.Fatalf("error %v: want the length rule, without the secret", err)
	}
}

// TestWindowsStayBounded: the extremes a cursor (even one we signed) or the
// upstream's total can reach give windows and page numbers within
// MaxPosition, never an overflow.
func TestWindowsStayBounded(t *testing.T) {
	huge := Limits{DefaultSize: 20, MaxSize: math.MaxInt}
	at := func(off int) *string {
		return ptr(signer.Encode(Cursor{Snapshot: now.UnixMilli() - 1000, Offset: off, Query: q}))
	}
	cases := []struct {
		name  string
		args  Args
		total int
	}{
		{"first max after the last offset", Args{First: ptr(math.MaxInt), After: at(MaxOffset)}, 0},
		{"first max after a large offset", Args{First: ptr(math.MaxInt), After: at(MaxOffset - 10)}, 0},
		{"first max", Args{First: ptr(math.MaxInt)}, 0},
		{"last max before the last offset", Args{Last: ptr(math.MaxInt), Before: at(MaxOffset)}, 0},
		{"last from an absurd total", Args{Last: ptr(200)}, math.MaxInt},
		{"last max from an absurd total", Args{Last: ptr(math.MaxInt)}, math.MaxInt},
	}
	for _, tc := range cases {
		r, err := Parse(tc.args, huge, walk)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		start, end := r.Window(tc.total)
		if start < 0 || end < start || end > MaxPosition {
			t.Fatalf("%s: window [%d,%d) outside [0, MaxPosition]", tc.name, start, end)
		}
		if end-start > 4*restclient.MaxPerPage {
			continue // a window this large is priced out before planning
		}
		for _, p := range PlanPages(start, end) {
			if p.Number < 1 || p.Offset() > MaxPosition {
				t.Fatalf("%s: page %+v beyond MaxPosition", tc.name, p)
			}
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	good := signer.Encode(Cursor{Snapshot: 1764158400123, Offset: 0, Query: q})
	f.Add(good)
	f.Add(signer.Encode(Cursor{Snapshot: math.MaxInt64, Offset: MaxOffset, Query: q}))
	f.Add(tamper(f, good, true, func(f []string) { f[2] = "9223372036854775807" }))
	f.Add(tamper(f, good, false, func([]string) {}))
	f.Add("YzEuMS4xLjAwMDAwMDAwMDAwMDAwMDA")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := signer.Decode(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("error %v does not wrap ErrBadCursor", err)
			}
			return
		}
		if signer.Encode(c) != s || c.Offset < 0 || c.Offset > MaxOffset || c.Snapshot <= 0 {
			t.Fatalf("accepted %q as %+v", s, c)
		}
	})
}

// FuzzCursorFields: every cursor the service can sign round-trips exactly,
// and one that it must not accept (bounds) is refused even when signed.
func FuzzCursorFields(f *testing.F) {
	f.Add(int64(1764158400123), int64(0), uint64(q))
	f.Add(int64(1), int64(MaxOffset), uint64(0))
	f.Add(int64(1764158400123), int64(math.MaxInt64), uint64(q))
	f.Add(int64(0), int64(-1), uint64(1))
	f.Fuzz(func(t *testing.T, snap, off int64, qh uint64) {
		c := Cursor{Snapshot: snap, Offset: int(off), Query: QueryHash(qh)}
		got, err := signer.Decode(signer.Encode(c))
		valid := snap > 0 && off >= 0 && off <= MaxOffset
		switch {
		case valid && (err != nil || got != c):
			t.Fatalf("%+v: decoded as %+v, %v", c, got, err)
		case !valid && err == nil:
			t.Fatalf("%+v: accepted out of bounds as %+v", c, got)
		}
	})
}
