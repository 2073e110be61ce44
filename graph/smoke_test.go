package graph_test

import (
	"testing"
)

func TestSmokeFirstPage(t *testing.T) {
	e := newEnv(t)
	var resp struct {
		Logs struct {
			TotalCount int
			Nodes      []struct{ LogID, Provider string }
			PageInfo   struct{ HasNextPage bool }
		}
	}
	e.gql.MustPost(`{ logs(gatewayId: "prod-chat", first: 3) { totalCount nodes { logId provider } pageInfo { hasNextPage } } }`, &resp)
	t.Logf("%+v", resp)
	for _, r := range e.sim.Requests() {
		t.Logf("%s %s", r.Path, r.RawQuery)
	}
}
