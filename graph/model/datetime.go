package model

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// DateTimeLayout is how every instant leaves the API: RFC 3339 in UTC with
// exactly three fraction digits, the precision the upstream records.
const DateTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// MarshalDateTime writes t in DateTimeLayout.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		var buf [40]byte
		_, _ = w.Write(AppendDateTime(buf[:0], t))
	})
}

// AppendDateTime appends t as the JSON string MarshalDateTime writes.
func AppendDateTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, DateTimeLayout)
	return append(b, '"')
}

// UnmarshalDateTime accepts any RFC 3339 instant (with or without fraction
// digits and with any offset); anything else is a clear input error.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string, got %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string such as 2026-11-26T10:00:00.000Z, got %s", strconv.Quote(s))
	}
	return t, nil
}
