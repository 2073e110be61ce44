package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// TestCursorsSurviveARestartOnlyWithASharedSecret: a cursor from a server
// keyed with CURSOR_SECRET goes on working after a restart (or on another
// replica) with the same secret; a server without it refuses the cursor as
// BAD_USER_INPUT, telling the client to start again, with no upstream call.
func TestCursorsSurviveARestartOnlyWithASharedSecret(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef-shared"
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 100})
	serve := func(env map[string]string) (string, func() error) {
		for k, v := range env {
			t.Setenv(k, v)
		}
		cfg := testConfig(t)
		cfg.APIBaseURL, cfg.APIToken, cfg.AccountID = base, cfsim.DemoToken, sim.AccountID()
		addr, stop := startServer(t, cfg)
		return "http://" + addr, stop
	}
	ids := func(a gqlAnswer) []any {
		if len(a.Errors) > 0 {
			t.Fatalf("errors: %+v", a.Errors)
		}
		return a.Data["logs"].(map[string]any)["nodes"].([]any)
	}

	first, stop := serve(map[string]string{"CURSOR_SECRET": secret})
	a := postQuery(t, first, `{ logs(gatewayId: "prod-chat", first: 3) { pageInfo { endCursor } } }`, nil)
	cursor := a.Data["logs"].(map[string]any)["pageInfo"].(map[string]any)["endCursor"].(string)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	next := fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: 3, after: %q) { nodes { logId } } }`, cursor)

	restarted, stop := serve(map[string]string{"CURSOR_SECRET": secret})
	got := ids(postQuery(t, restarted, next, nil))
	whole := ids(postQuery(t, restarted, `{ logs(gatewayId: "prod-chat", first: 6) { nodes { logId } } }`, nil))
	if fmt.Sprint(got) != fmt.Sprint(whole[3:]) {
		t.Fatalf("after a restart with the shared secret, the page after the cursor is %v; want %v", got, whole[3:])
	}
	_ = stop()

	unkeyed, stop := serve(map[string]string{"CURSOR_SECRET": ""})
	defer func() { _ = stop() }()
	sim.ResetRequests()
	refused := postQuery(t, unkeyed, next, nil)
	if len(refused.Errors) == 0 || refused.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
		!strings.Contains(refused.Errors[0].Message, "start the walk again from the first page") {
		t.Fatalf("a server with another key answered %+v", refused)
	}
	if n := sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls for a cursor of another key", n)
	}
}

// TestCursorSecretIsValidated: a short secret stops the server with a
// message naming the setting and the rule, never the secret; the flag wins
// over the environment.
func TestCursorSecretIsValidated(t *testing.T) {
	const short = "hunter2-is-short"
	t.Setenv("CURSOR_SECRET", short)
	_, err := parseConfig(nil)
	if err == nil {
		t.Fatal("a 16-byte CURSOR_SECRET was accepted")
	}
	for _, want := range []string{"cursor-secret", "CURSOR_SECRET", "16 bytes", "at least 32 bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), short) {
		t.Fatalf("message %q prints the secret", err)
	}
	long := strings.Repeat("k", 32)
	cfg, err := parseConfig([]string{"-cursor-secret", long})
	if err != nil || cfg.CursorSecret != long {
		t.Fatalf("flag over a short environment value: %v, %d bytes", err, len(cfg.CursorSecret))
	}
	t.Setenv("CURSOR_SECRET", long)
	if cfg, err := parseConfig(nil); err != nil || cfg.CursorSecret != long {
		t.Fatalf("a 32-byte CURSOR_SECRET: %v", err)
	}
}
