package restclient

import (
	"strconv"
	"testing"
)

// FuzzPlainIntAgrees holds flexInt's allocation-free path to the general
// one: whatever plainInt accepts, flexIntValue accepts with the same value.
func FuzzPlainIntAgrees(f *testing.F) {
	for _, s := range []string{"0", "-0", "7", "-42", "007", "50.0", "5e1", "", "-", "123456789012345678", "9223372036854775807", "-9223372036854775808", "1x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := plainInt([]byte(s))
		if !ok {
			return
		}
		want, wantOK := flexIntValue(s)
		if !wantOK || v != want {
			t.Errorf("%q: plainInt %d, flexIntValue %d (%v)", s, v, want, wantOK)
		}
	})
}

func TestPlainIntTakesTheCommonForm(t *testing.T) {
	for _, n := range []int{0, 1, -1, 468, -3764, 114637, 1 << 40} {
		if v, ok := plainInt([]byte(strconv.Itoa(n))); !ok || v != n {
			t.Errorf("%d: got %d, %v", n, v, ok)
		}
	}
	if _, ok := plainInt([]byte("50.0")); ok {
		t.Error("a fraction taken as plain")
	}
}
