package observe_test

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/observe"
)

func TestRequestLogOneLinePerOperationWithoutSecrets(t *testing.T) {
	s := newStack(t)
	const secretVar = "variable-value-that-must-not-be-logged"
	gw := s.sim.Gateways()[0]
	r := s.post(`query CallerLogs($gw: ID!, $q: String) { logs(gatewayId: $gw, first: 2, search: $q) { totalCount } }`,
		map[string]any{"gw": gw, "q": secretVar}, "Authorization: Bearer "+callerToken)
	if len(r.Errors) > 0 {
		t.Fatalf("CallerLogs: %+v", r.Errors)
	}
	s.post(`query BadPage($gw: ID!) { logs(gatewayId: $gw, first: -1) { totalCount } }`,
		map[string]any{"gw": gw}, "X-Auth-Email: someone@example.com", "X-Auth-Key: "+callerToken)
	// gqlgen quotes the whole body in the message of a JSON decoding error.
	s.postRaw(`{"query": "{ __typename }", "variables": {"k": "`+callerToken+`"`, "Authorization: Bearer "+callerToken)

	out := s.log.String()
	for _, secret := range []string{callerToken, secretVar, "someone@example.com", "__typename", "search"} {
		if strings.Contains(out, secret) {
			t.Errorf("the request log contains %q:\n%s", secret, out)
		}
	}
	lines := s.log.operations(t)
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want one per operation (3):\n%s", len(lines), out)
	}
	ok, bad, broken := lines[0], lines[1], lines[2]
	wantField(t, ok, "msg", "graphql operation")
	wantField(t, ok, "level", "INFO")
	wantField(t, ok, "operation", "CallerLogs")
	wantField(t, ok, "operation_type", "query")
	wantField(t, ok, "upstream_calls", float64(1))
	wantField(t, ok, "errors", float64(0))
	wantField(t, ok, "status", float64(http.StatusOK))
	if d, _ := ok["duration_ms"].(float64); d <= 0 {
		t.Errorf("duration_ms = %v, want > 0", ok["duration_ms"])
	}
	if tid, _ := ok["trace_id"].(string); len(tid) != 32 {
		t.Errorf("trace_id = %v, want the operation's trace id", ok["trace_id"])
	}

	wantField(t, bad, "level", "WARN")
	wantField(t, bad, "operation", "BadPage")
	wantField(t, bad, "upstream_calls", float64(0))
	if codes, _ := bad["error_codes"].([]any); !slices.Equal(codes, []any{"BAD_USER_INPUT"}) {
		t.Errorf("error_codes = %v, want [BAD_USER_INPUT]", bad["error_codes"])
	}

	wantField(t, broken, "operation", "anonymous")
	wantField(t, broken, "status", float64(http.StatusBadRequest))
}

// Without CaptureStatus the line is written at once, without a status.
func TestRequestLogWithoutCaptureStatus(t *testing.T) {
	logs := &syncBuffer{}
	log := observe.NewRequestLog(slog.New(slog.NewJSONHandler(logs, nil)))
	log.Record(context.Background(), observe.Operation{Name: "Ping", Kind: "query"})
	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1:\n%s", len(lines), logs.String())
	}
	wantField(t, lines[0], "operation", "Ping")
	wantField(t, lines[0], "upstream_calls", float64(0))
	if _, ok := lines[0]["status"]; ok {
		t.Errorf("status logged without CaptureStatus: %v", lines[0])
	}
}

func wantField(t *testing.T, line map[string]any, key string, want any) {
	t.Helper()
	if got := line[key]; got != want {
		t.Errorf("log field %s = %#v, want %#v (line %v)", key, got, want, line)
	}
}
