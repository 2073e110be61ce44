package model

import (
	"bytes"
	"math"
	"testing"
	"time"
)

// appendDateTimeByLayout is what AppendDateTime must write: the layout
// through time.AppendFormat.
func appendDateTimeByLayout(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, DateTimeLayout)
	return append(b, '"')
}

func TestAppendDateTimeAgreesWithTheLayout(t *testing.T) {
	east := time.FixedZone("east", 5*3600+30*60)
	for _, tm := range []time.Time{
		{},
		time.Unix(0, 0),
		time.Date(2026, 12, 2, 18, 31, 25, 999_999_999, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 1_000_000, east),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Unix(math.MaxInt64/2, 0),
	} {
		if got, want := AppendDateTime(nil, tm), appendDateTimeByLayout(nil, tm); !bytes.Equal(got, want) {
			t.Errorf("%v: wrote %s, want %s", tm, got, want)
		}
	}
}

func FuzzAppendDateTimeAgrees(f *testing.F) {
	f.Add(int64(0), int64(0), 0)
	f.Add(int64(1_796_000_000), int64(123_456_789), 3600)
	f.Add(int64(-62_135_596_800), int64(0), -7200)
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int) {
		tm := time.Unix(sec, nsec).In(time.FixedZone("z", offset%(18*3600)))
		if got, want := AppendDateTime([]byte("x"), tm), appendDateTimeByLayout([]byte("x"), tm); !bytes.Equal(got, want) {
			t.Fatalf("%v: wrote %s, want %s", tm, got, want)
		}
	})
}
