package graph_test

import (
	"fmt"
	"testing"
)

// A log a request has listed answers a later lookup of it by id in the
// same request without another upstream call; a log it has not listed is
// looked up.
func TestListedLogsAnswerLookupsByID(t *testing.T) {
	e := newEnv(t)
	var page struct {
		Logs struct{ Nodes []struct{ LogID string } }
	}
	e.mustDo(`{ logs(gatewayId: "prod-chat", first: 6) { nodes { logId } } }`, nil, &page)
	listed, unlisted := page.Logs.Nodes[1].LogID, page.Logs.Nodes[5].LogID
	for _, c := range []struct {
		logID string
		calls int
	}{{listed, 1}, {unlisted, 2}} {
		e.sim.ResetRequests()
		var out struct {
			Logs struct {
				Nodes []struct {
					Gateway struct{ Log struct{ LogID string } }
				}
			}
		}
		q := fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: 3) { nodes { gateway { log(logId: %q) { logId } } } } }`, c.logID)
		e.mustDo(q, nil, &out)
		if got := out.Logs.Nodes[0].Gateway.Log.LogID; got != c.logID {
			t.Errorf("log(logId: %s) answered %q", c.logID, got)
		}
		if n := e.sim.RequestCount(); n != c.calls {
			t.Errorf("log(logId: %s) after listing 3 logs: %d upstream calls, want %d", c.logID, n, c.calls)
		}
	}
}
