package restclient_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestSimFiltersTravelAsOneJSONParameter looks at the raw query the
// simulator received for the example in docs/upstream.md: the whole array in ONE
// `filters` parameter, URL-encoded. The live API silently ignores the SDKs'
// dotted form, so a regression there would return unfiltered logs and look
// like a working call.
func TestSimFiltersTravelAsOneJSONParameter(t *testing.T) {
	e := newSimEnv(t, simLogs, restclient.Options{})
	p := restclient.ListLogsParams{Filters: []restclient.Filter{
		{Key: restclient.KeyProvider, Operator: restclient.OpEq, Values: []any{"openai", "anthropic"}},
		{Key: restclient.KeyCost, Operator: restclient.OpGt, Values: []any{0.005}},
	}}
	pg := e.list(t, p) // also asserts: one request, parsed back as sent

	reqs := e.sim.Requests()
	raw := reqs[len(reqs)-1].RawQuery
	var params []string
	for _, kv := range strings.Split(raw, "&") {
		if strings.HasPrefix(kv, "filters") {
			params = append(params, kv)
		}
	}
	const want = `[{"key":"provider","operator":"eq","value":["openai","anthropic"]},{"key":"cost","operator":"gt","value":[0.005]}]`
	if len(params) != 1 || params[0] != "filters="+url.QueryEscape(want) {
		t.Errorf("filters on the wire: %q\nwant exactly one: %q", params, "filters="+url.QueryEscape(want))
	}
	if n := len(expectLogs(e.sim.Logs(e.gw), p.Filters, "", "")); pg.Info.TotalCount != n || n == 0 {
		t.Errorf("total_count %d, oracle %d: the filters were not applied upstream", pg.Info.TotalCount, n)
	}
}
