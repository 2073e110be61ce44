package restclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// FuzzDecodeListLogs: any bytes either fail with ErrMalformedResponse or give
// a well-formed page that survives a re-encode/decode round trip unchanged.
func FuzzDecodeListLogs(f *testing.F) {
	for _, s := range []string{
		fullLogBody, emptyPage, ``, `null`, `{}`, `[]`, `<html>`, fullLogBody[:120],
		`{"success":true,"result":null,"result_info":{"count":0.0,"page":1,"per_page":20,"total_count":0}}`,
		`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05.1+14:00","metadata":{"a":1},"tokens_in":5e0}],"result_info":{"count":1}}`,
		`{"success":false,"errors":[{"code":7001,"message":"Invalid enum value"}],"result":null}`,
		`{"success":true,"result":[{"id":"a","created_at":"0000-01-01T00:00:00+01:00"}],"result_info":{}}`,
		`{"success":true,"result":[],"result_info":{"count":9223372036854775807,"page":-0,"total_count":1e18}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := decodeListLogs(data)
		if err != nil {
			if !errors.Is(err, ErrMalformedResponse) || page != nil {
				t.Fatalf("error %v (page %v) does not wrap ErrMalformedResponse", err, page)
			}
			return
		}
		if page.Logs == nil {
			t.Fatal("nil Logs")
		}
		if i := page.Info; i.Count < 0 || i.Page < 0 || i.PerPage < 0 || i.TotalCount < 0 {
			t.Fatalf("negative counts: %+v", i)
		}
		for _, l := range page.Logs {
			if l.ID == "" || l.CreatedAt.IsZero() || l.CreatedAt.Location() != time.UTC {
				t.Fatalf("ill-formed log: %+v", l)
			}
		}
		re, err := json.Marshal(map[string]any{"success": true, "result": page.Logs, "result_info": page.Info})
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := decodeListLogs(re)
		if err != nil {
			t.Fatalf("decoding our own encoding: %v\n%s", err, re)
		}
		if !reflect.DeepEqual(page, again) {
			t.Fatalf("round trip changed the page:\n%+v\n%+v", page, again)
		}
	})
}

// FuzzEncodeFilters: any key/operator/values either fail with an
// *InvalidInputError or give a JSON array that decodes back to the input.
func FuzzEncodeFilters(f *testing.F) {
	f.Add("provider", "eq", uint8(0), "openai", 0.0, int64(0), false, uint8(2))
	f.Add("cost", "gt", uint8(1), "", 0.5, int64(0), false, uint8(1))
	f.Add("tokens_in", "lt", uint8(2), "", 0.0, int64(-7), false, uint8(1))
	f.Add("cached", "neq", uint8(3), "", 0.0, int64(0), true, uint8(1))
	f.Add("metadata.key", "contains", uint8(4), "1.5e3", 0.0, int64(0), false, uint8(2))
	f.Add("duration", "eq", uint8(5), "", 0.0, int64(1)<<40, false, uint8(1))
	f.Add("model", "eq", uint8(6), "", 0.0, int64(0), false, uint8(1))
	f.Add("filters.key", "eq", uint8(0), "x", 0.0, int64(0), false, uint8(1))
	f.Add("cost", "lt", uint8(1), "", math.NaN(), int64(0), false, uint8(1))
	f.Add("user_agent", "eq", uint8(0), "a\xff\"<>&\u2028", 0.0, int64(0), false, uint8(1))
	f.Fuzz(func(t *testing.T, key, op string, kind uint8, s string, n float64, i int64, b bool, count uint8) {
		var v any
		switch kind % 7 {
		case 0:
			v = s
		case 1:
			v = n
		case 2:
			v = i
		case 3:
			v = b
		case 4:
			v = json.Number(s)
		case 5:
			v = int(i)
		case 6:
			v = uint(i) // unsupported
		}
		values := make([]any, int(count%4))
		for j := range values {
			values[j] = v
		}
		in := Filter{FilterKey(key), Operator(op), values}
		got, err := EncodeFilters([]Filter{in})
		if err != nil {
			var ie *InvalidInputError
			if !errors.As(err, &ie) || got != "" {
				t.Fatalf("error %v (output %q) is not an *InvalidInputError", err, got)
			}
			return
		}
		if !in.Key.Valid() || !in.Operator.Valid() || len(values) == 0 ||
			((in.Operator == OpLt || in.Operator == OpGt) && len(values) != 1) || kind%7 == 6 {
			t.Fatalf("accepted invalid filter %+v: %s", in, got)
		}
		if !bytes.HasPrefix([]byte(got), []byte(`[{"key":`)) {
			t.Fatalf("not the wire form: %s", got)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(got)))
		dec.UseNumber()
		var back []struct {
			Key      string `json:"key"`
			Operator string `json:"operator"`
			Value    []any  `json:"value"`
		}
		if err := dec.Decode(&back); err != nil || dec.More() {
			t.Fatalf("not a single JSON array: %v: %s", err, got)
		}
		if len(back) != 1 || back[0].Key != key || back[0].Operator != op || len(back[0].Value) != len(values) {
			t.Fatalf("round trip: %+v from %s", back, got)
		}
		for _, bv := range back[0].Value {
			if !sameValue(v, bv) {
				t.Fatalf("value %#v came back as %#v (%s)", v, bv, got)
			}
		}
		q, err := ListLogsParams{Filters: []Filter{in}}.Encode()
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := url.ParseQuery(q)
		if err != nil || len(parsed) != 1 || len(parsed["filters"]) != 1 || parsed.Get("filters") != got {
			t.Fatalf("query %q does not carry the filters verbatim", q)
		}
	})
}

func sameValue(sent, back any) bool {
	switch s := sent.(type) {
	case string, bool:
		return s == back
	case json.Number:
		return back == s
	case float64:
		num, ok := back.(json.Number)
		f, err := strconv.ParseFloat(string(num), 64)
		return ok && err == nil && f == s
	case int64:
		return back == json.Number(strconv.FormatInt(s, 10))
	case int:
		return back == json.Number(strconv.Itoa(s))
	}
	return false
}
