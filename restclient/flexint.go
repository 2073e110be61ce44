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
	s := string(b)
	if s == "null" {
		return nil
	}
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
