package restclient

import (
	"fmt"
	"math"
	"strconv"
)

// flexInt decodes a JSON number holding an integer, written either as an
// integer (50) or as an integral float (50.0, 5e1), which a Go int field
// refuses. Fractions, overflow and non-numbers are errors; null leaves the
// zero value. Its underlying type is int, so a *flexInt converts to *int.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" { // compared without a conversion
		return nil
	}
	if v, ok := plainInt(b); ok {
		*n = flexInt(v)
		return nil
	}
	s := string(b)
	v, ok := flexIntValue(s)
	if !ok {
		return fmt.Errorf("want an integer, got %.32s", s)
	}
	*n = flexInt(v)
	return nil
}

func flexIntValue(s string) (int, bool) {
	if i, err := strconv.ParseInt(s, 10, strconv.IntSize); err == nil {
		return int(i), true
	}
	if !isJSONNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	limit := math.Ldexp(1, strconv.IntSize-1)
	if err != nil || f != math.Trunc(f) || f < -limit || f >= limit {
		return 0, false
	}
	return int(f), true
}

// plainInt reads the common form, an optional minus and a few decimal
// digits, straight from the bytes. Five numbers of every log of every page
// come this way, and strconv parses only strings: converting each one cost
// an allocation (a tenth of a page's). Anything else (a fraction, an
// exponent, a leading zero, more digits than surely fit) is for
// flexIntValue; FuzzPlainIntAgrees holds the two to the same answer.
func plainInt(b []byte) (int, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > maxPlainDigits || (len(b) > 1 && b[0] == '0') {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// maxPlainDigits is the most digits plainInt reads: any number of them
// fits an int of this platform.
const maxPlainDigits = strconv.IntSize*3/10 - 1
