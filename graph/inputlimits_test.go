package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestOverlongInputIsRefusedBeforeTheUpstream: search texts and filter
// values over 1 KiB, lists over 100 values, and upstream URLs over 8 KiB
// are BAD_USER_INPUT naming the limit, with no upstream call.
func TestOverlongInputIsRefusedBeforeTheUpstream(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("x", 1025)
	search := `query($s: String) { logs(gatewayId: "prod-chat", first: 5, search: $s) { nodes { logId } } }`
	filter := `query($f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", first: 5, filter: $f) { nodes { logId } } }`
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprint("model-", i)
	}
	wide := make([]string, 10) // each value within the limit, together over the URL's
	for i := range wide {
		wide[i] = fmt.Sprint(i, strings.Repeat("p", 1000))
	}
	cases := []struct {
		name, query string
		vars        map[string]any
		limit       string // in the message
	}{
		{"logs search", search, map[string]any{"s": strings.Repeat("q", 60<<10)}, "1024"},
		{"gateways search", `query($s: String) { gateways(search: $s) { totalCount } }`, map[string]any{"s": long}, "1024"},
		{"filter eq", filter, map[string]any{"f": map[string]any{"provider": map[string]any{"eq": long}}}, "1024"},
		{"filter neq", filter, map[string]any{"f": map[string]any{"model": map[string]any{"neq": long}}}, "1024"},
		{"filter contains", filter, map[string]any{"f": map[string]any{"userAgent": map[string]any{"contains": long}}}, "1024"},
		{"a value of an in list", filter, map[string]any{"f": map[string]any{"metadataValue": map[string]any{"in": []string{"ok", long}}}}, "1024"},
		{"a value of a notIn list", filter, map[string]any{"f": map[string]any{"eventId": map[string]any{"notIn": []string{long}}}}, "1024"},
		{"too many values", filter, map[string]any{"f": map[string]any{"model": map[string]any{"notIn": many}}}, "100"},
		{"too many numbers", filter, map[string]any{"f": map[string]any{"tokens": map[string]any{"in": make([]int, 101)}}}, "100"},
		{"upstream URL", filter, map[string]any{"f": map[string]any{"provider": map[string]any{"in": wide}}}, "8192"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			e.sim.ResetRequests()
			errs := e.do(tc.query, tc.vars, nil)
			expectCode(t, errs, "BAD_USER_INPUT")
			if !strings.Contains(errs[0].Message, tc.limit) {
				t.Errorf("message %q does not say the limit (%s)", errs[0].Message, tc.limit)
			}
			if n := e.sim.RequestCount(); n != 0 {
				t.Fatalf("%d upstream calls for input over a limit", n)
			}
		})
	}
	t.Run("at the limits", func(t *testing.T) {
		e.t = t
		e.mustDo(`query($s: String, $f: AIGatewayLogFilter) { logs(gatewayId: "prod-chat", first: 5, search: $s, filter: $f) { nodes { logId } } }`, map[string]any{
			"s": strings.Repeat("q", 1024),
			"f": map[string]any{"provider": map[string]any{"in": []string{strings.Repeat("p", 1024)}}},
		}, nil)
	})
}
