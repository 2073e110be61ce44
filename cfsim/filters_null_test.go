package cfsim

import (
	"net/url"
	"slices"
	"testing"
)

// TestNullValueMeansNoValue: on string keys, `eq [null]` selects exactly
// the logs whose field is null (absent) and `neq [null]` exactly the
// others — the two partition the gateway — written out here from the
// data, not from the filter code's oracle.
func TestNullValueMeansNoValue(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 700, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	for _, c := range []struct {
		key  string
		null func(l Log) bool
	}{
		{"model_type", func(l Log) bool { return l.ModelType == nil }},
		{"request_type", func(l Log) bool { return l.RequestType == nil }},
		{"metadata.key", func(l Log) bool { return l.Metadata == nil }},
		{"provider", func(Log) bool { return false }},
	} {
		var without, with []string
		for _, l := range logs {
			if c.null(l) {
				without = append(without, l.ID)
			} else {
				with = append(with, l.ID)
			}
		}
		if c.key != "provider" && (len(without) == 0 || len(with) == 0) {
			t.Fatalf("%s: %d null, %d set: the case proves nothing", c.key, len(without), len(with))
		}
		for _, q := range []struct {
			op   string
			want []string
		}{{"eq", without}, {"neq", with}} {
			got, total := f.listAll("g", filtersQ(Filter{c.key, q.op, []any{nil}}))
			if total != len(q.want) || !slices.Equal(got, q.want) {
				t.Errorf("%s %s [null]: %d logs (total %d), want %d", c.key, q.op, len(got), total, len(q.want))
			}
		}
	}
	// null is for eq and neq only.
	q := url.Values{"filters": {`[{"key":"model_type","operator":"contains","value":[null]}]`}}
	wantError(t, f.get(f.logsURL("g")+"?"+q.Encode()), 400, 0)
}
