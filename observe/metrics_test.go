package observe_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

const gatewayLogs = `query GatewayLogs($gw: ID!) { logs(gatewayId: $gw, first: 3) { nodes { id logId } } }`

// listIDs runs GatewayLogs and returns the global ids of the logs.
func (s *stack) listIDs() []any {
	s.t.Helper()
	r := s.post(gatewayLogs, map[string]any{"gw": s.sim.Gateways()[0]})
	if len(r.Errors) > 0 {
		s.t.Fatalf("GatewayLogs: %+v", r.Errors)
	}
	var ids []any
	for _, n := range r.Data["logs"].(map[string]any)["nodes"].([]any) {
		ids = append(ids, n.(map[string]any)["id"])
	}
	return ids
}

func TestMetricsCountOperationsUpstreamRequestsAndBatches(t *testing.T) {
	s := newStack(t)
	ids := s.listIDs()
	listCalls := s.sim.RequestCount()
	r := s.post(`query LogsByID($ids: [ID!]!) { nodes(ids: $ids) { ... on AIGatewayLog { logId } } }`, map[string]any{"ids": ids})
	if len(r.Errors) > 0 {
		t.Fatalf("LogsByID: %+v", r.Errors)
	}
	byIDCalls := s.sim.RequestCount() - listCalls
	if listCalls == 0 || byIDCalls == 0 {
		t.Fatalf("upstream calls: list %d, by id %d; want some of each", listCalls, byIDCalls)
	}

	m := s.scrape()
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="GatewayLogs",outcome="ok"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="LogsByID",outcome="ok"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operation_duration_seconds_count{operation="GatewayLogs"}`, 1)
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="200"}`, float64(listCalls+byIDCalls))
	wantSample(t, m, `gqlfacade_upstream_request_duration_seconds_count{status="200"}`, float64(listCalls+byIDCalls))
	wantSample(t, m, `gqlfacade_upstream_retries_total`, 0)
	wantSample(t, m, `gqlfacade_graphql_upstream_calls_per_operation_count{operation="GatewayLogs"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_upstream_calls_per_operation_sum{operation="GatewayLogs"}`, float64(listCalls))
	wantSample(t, m, `gqlfacade_graphql_upstream_calls_per_operation_sum{operation="LogsByID"}`, float64(byIDCalls))
	// Three ids of one gateway are one by-id batch of three keys.
	wantSample(t, m, `gqlfacade_dataloader_batch_size_count{loader="logsByID"}`, 1)
	wantSample(t, m, `gqlfacade_dataloader_batch_size_sum{loader="logsByID"}`, float64(len(ids)))
	if n, _ := sample(m, `gqlfacade_dataloader_batch_size_count{loader="pages"}`); n < 1 {
		t.Errorf("no batch-size samples of the pages loader:\n%s", grep(m, "batch_size"))
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if !strings.Contains(m, "\n"+name+" ") {
			t.Errorf("/metrics lacks the %s collector's %s", strings.SplitN(name, "_", 2)[0], name)
		}
	}
}

func TestMetricsCountRetriesAndTransportErrors(t *testing.T) {
	s := newStack(t)
	s.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Times: 1})
	s.listIDs()
	// On a fresh connection, so that net/http does not retry by itself.
	s.wire.CloseIdleConnections()
	s.sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultDropConnection, Times: 1})
	s.listIDs()

	m := s.scrape()
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="500"}`, 1)
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="error"}`, 1)
	wantSample(t, m, `gqlfacade_upstream_requests_total{status="200"}`, 2)
	wantSample(t, m, `gqlfacade_upstream_retries_total`, 2)
	// A retried call is still one call of the operation.
	wantSample(t, m, `gqlfacade_graphql_upstream_calls_per_operation_sum{operation="GatewayLogs"}`, 2)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="GatewayLogs",outcome="ok"}`, 2)
}

func TestMetricsOutcomesAndAnonymousOperations(t *testing.T) {
	s := newStack(t)
	gw := map[string]any{"gw": s.sim.Gateways()[0]}
	s.post(`query BadPage($gw: ID!) { logs(gatewayId: $gw, first: -1) { totalCount } }`, gw)
	s.post(`query($gw: ID!) { logs(gatewayId: $gw, first: 1) { totalCount } }`, gw)
	// An operationName the document does not define is not a label value.
	s.postRaw(`{"query":"query Real { __typename }","operationName":"Invented"}`)
	s.postRaw(`{"query":"query Broken {"}`)

	m := s.scrape()
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="BadPage",outcome="BAD_USER_INPUT"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operation_errors_total{code="BAD_USER_INPUT",operation="BadPage"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_upstream_calls_per_operation_sum{operation="BadPage"}`, 0)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="anonymous",outcome="ok"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="anonymous",outcome="GRAPHQL_VALIDATION_FAILED"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="anonymous",outcome="GRAPHQL_PARSE_FAILED"}`, 1)
	if strings.Contains(m, "Invented") {
		t.Errorf("a client-chosen operationName became a label:\n%s", grep(m, "Invented"))
	}
}

func TestMetricsCapDistinctOperationNames(t *testing.T) {
	s := newStack(t)
	for i := range 105 {
		s.postRaw(fmt.Sprintf(`{"query":"query Op%d { __typename }"}`, i))
	}
	m := s.scrape()
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="Op99",outcome="ok"}`, 1)
	wantSample(t, m, `gqlfacade_graphql_operations_total{operation="other",outcome="ok"}`, 5)
	if _, ok := sample(m, `gqlfacade_graphql_operations_total{operation="Op100",outcome="ok"}`); ok {
		t.Error("the 101st distinct operation name got its own series")
	}
	// Once admitted, a name keeps its series.
	s.postRaw(`{"query":"query Op0 { __typename }"}`)
	wantSample(t, s.scrape(), `gqlfacade_graphql_operations_total{operation="Op0",outcome="ok"}`, 2)
}

// grep returns the lines of s that contain sub, for failure messages.
func grep(s, sub string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return strings.Join(out, "\n")
}
