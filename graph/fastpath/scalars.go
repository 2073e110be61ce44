package fastpath

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// The scalars, written byte for byte as gqlgen's marshallers write them
// (graphql.MarshalString, MarshalInt, MarshalBoolean, MarshalFloatContext,
// MarshalAny), but appended to one buffer instead of through a closure and
// an io.Writer each. FuzzScalarsMatchGqlgen holds them to gqlgen's.

const hexDigits = "0123456789ABCDEF"

// appendString is graphql.MarshalString: only control characters,
// backslash and the double quote are escaped, everything else (invalid
// UTF-8 included) is copied as it is. A byte below 0x20 is always a rune of
// its own, so going by bytes escapes what gqlgen's loop over runes does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		case '\n':
			b = append(b, '\\', 'n')
		case '\\':
			b = append(b, '\\', '\\')
		case '"':
			b = append(b, '\\', '"')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

func appendIntPtr(b []byte, n *int) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return appendInt(b, *n)
}

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func appendBoolPtr(b []byte, v *bool) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return appendBool(b, *v)
}

// appendFloatPtr is MarshalFloatContext's fmt "%g", which for a finite
// number is strconv's shortest 'g' form. gqlgen refuses an infinity or NaN
// with a field error: ok is false, and the connection is left to gqlgen.
func appendFloatPtr(b []byte, f *float64) (_ []byte, ok bool) {
	if f == nil {
		return append(b, "null"...), true
	}
	if math.IsInf(*f, 0) || math.IsNaN(*f) {
		return b, false
	}
	return strconv.AppendFloat(b, *f, 'g', -1, 64), true
}

// appendAny is graphql.MarshalAny: encoding/json's Encoder, HTML escaping
// and the trailing newline included. An error (gqlgen panics on one) makes
// ok false, and the connection is left to gqlgen.
func appendAny(b []byte, v any) (_ []byte, ok bool) {
	buf := bytes.NewBuffer(b)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return b, false
	}
	return buf.Bytes(), true
}
