package restclient_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// TestSimFilterEveryKeyAndOperator sends every (key, operator) pair the
// upstream accepts, with values taken from the data, and compares the full
// answer (every page) with the oracle.
func TestSimFilterEveryKeyAndOperator(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	logs := e.sim.Logs(e.gw)
	for _, key := range restclient.FilterKeys() {
		kind, ok := kindOf(key)
		if !ok {
			t.Fatalf("filter key %q is unknown to the oracle: the test no longer covers every key", key)
		}
		for _, op := range kind.operators() {
			f := restclient.Filter{Key: key, Operator: op, Values: pickValues(t, logs, key, op)}
			t.Run(string(key)+"/"+string(op), func(t *testing.T) {
				want := idsOf(expectLogs(logs, []restclient.Filter{f}, "", ""))
				// A case matching nothing or everything would pass even if
				// the filter were dropped on the way.
				if len(want) == 0 || len(want) == len(logs) {
					t.Fatalf("%v matches %d of %d logs: pick a value that narrows", f, len(want), len(logs))
				}
				t.Logf("%v: %d of %d logs", f, len(want), len(logs))
				got, total := e.listAll(t, restclient.ListLogsParams{Filters: []restclient.Filter{f}})
				if total != len(want) || !slices.Equal(got, want) {
					t.Errorf("%v: got %d ids (total_count %d), want %d\n got %v\nwant %v", f, len(got), total, len(want), got, want)
				}
			})
		}
	}
}

// containsProbes are substrings that occur in some values of a key but not
// all. Case matters: "Python" is in "OpenAI/Python 1.58.1" but not in
// "anthropic-sdk-python/0.42.0". id and event_id take a prefix from the data.
var containsProbes = map[restclient.FilterKey]string{
	restclient.KeyRequestContentType:  "form",  // multipart/form-data
	restclient.KeyResponseContentType: "text/", // text/html, text/event-stream
	restclient.KeyRequestType:         "sock",  // websocket
	restclient.KeyProvider:            "ai",    // openai, workers-ai, google-ai-studio, azure-openai
	restclient.KeyModel:               "@cf/",  // Workers AI models
	restclient.KeyModelType:           "emb",   // embedding
	restclient.KeyMetadataKey:         "ea",    // team, feature
	restclient.KeyMetadataValue:       "u-1",   // u-1, u-10 … u-19
	restclient.KeyDLPAction:           "LAG",   // FLAG
	restclient.KeyUserAgent:           "Python",
}

// pickValues chooses the values of one case from the data. Over the sorted
// distinct values d: eq/neq take d[n/3] and d[2n/3] (two values: "any of"
// is exercised), lt takes d[n/2] and gt d[(n-1)/2], so each keeps d[0] or
// d[n-1] and drops the other.
func pickValues(t *testing.T, logs []cfsim.Log, key restclient.FilterKey, op restclient.Operator) []any {
	t.Helper()
	kind, _ := kindOf(key)
	if kind == kindBool {
		return []any{true}
	}
	if op == restclient.OpContains {
		switch key {
		case restclient.KeyID:
			return []any{logs[len(logs)/2].ID[:5]} // ULIDs: a ~9-hour window
		case restclient.KeyEventID:
			return []any{logs[len(logs)/2].EventID[:4]}
		}
		return []any{containsProbes[key]}
	}
	d := distinctValues(logs, key)
	n := len(d)
	if n < 2 {
		t.Fatalf("%s has %d distinct values in the data: cannot narrow", key, n)
	}
	switch op {
	case restclient.OpLt:
		return []any{d[n/2]}
	case restclient.OpGt:
		return []any{d[(n-1)/2]}
	}
	if n < 3 {
		return []any{d[0]}
	}
	return []any{d[n/3], d[2*n/3]}
}

// distinctValues lists a key's non-null values in the data, sorted, in the
// form a Filter sends them: strings, float64s, or for created_at RFC 3339
// text in a +02:00 offset (the upstream must compare instants, not text).
func distinctValues(logs []cfsim.Log, key restclient.FilterKey) []any {
	kind, _ := kindOf(key)
	switch kind {
	case kindString:
		var all []string
		for i := range logs {
			s, _ := stringsOf(&logs[i], key)
			all = append(all, s...)
		}
		return sortedSet(all)
	case kindNumber:
		var all []float64
		for i := range logs {
			if n, ok := numberOf(&logs[i], key); ok {
				all = append(all, n)
			}
		}
		return sortedSet(all)
	case kindTime:
		var all []time.Time
		for _, l := range logs {
			all = append(all, l.CreatedAt)
		}
		slices.SortFunc(all, time.Time.Compare)
		all = slices.CompactFunc(all, time.Time.Equal)
		zone := time.FixedZone("", 2*60*60)
		out := make([]any, len(all))
		for i, t := range all {
			out[i] = t.In(zone).Format("2006-01-02T15:04:05.000Z07:00")
		}
		return out
	}
	panic(fmt.Sprintf("no distinct values for %s", key))
}

func sortedSet[T cmp.Ordered](xs []T) []any {
	slices.Sort(xs)
	xs = slices.Compact(xs)
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
