package cfsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestReadOnlyTokenMayNotChange: a token with AI Gateway Read only reads,
// and its changes are refused as the live API refuses them (403, 10000),
// leaving the log as it was.
func TestReadOnlyTokenMayNotChange(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 20, ReadOnlyTokens: []string{"reader"}})
	l := f.s.Logs("staging")[0]
	if r := f.get(f.logURL("staging", l.ID), "Authorization", "Bearer reader"); r.status != http.StatusOK {
		t.Fatalf("read with a read-only token: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodPatch, f.logURL("staging", l.ID), strings.NewReader(`{"score":7}`))
	req.Header.Set("Authorization", "Bearer reader")
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Errors []struct{ Code int }
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(env.Errors) != 1 || env.Errors[0].Code != codeAuthError {
		t.Fatalf("PATCH with a read-only token: %d %+v, want 403 with code %d", resp.StatusCode, env.Errors, codeAuthError)
	}
	if findLog(t, f.s, "staging", l.ID).Score != nil {
		t.Fatal("the refused change was applied")
	}
}
