package graph_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// TestCredentialIsolation: many concurrent callers with different tokens.
// Every upstream call carries its own caller's token, no caller gets
// another's result, and nothing the server logs or answers holds a token.
func TestCredentialIsolation(t *testing.T) {
	const callers, rounds = 24, 5
	tokens := make([]string, callers)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("secret-token-%02d-%s", i, strings.Repeat("x", 8))
	}
	e := newEnv(t, withoutServerToken(), withSimTokens(tokens...))
	var logs bytes.Buffer
	var logMu sync.Mutex
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	want := ids(e.sim.Logs("prod-chat"))
	e.sim.ResetRequests()
	var wg sync.WaitGroup
	answers := make([][]string, callers)
	var bodies bytes.Buffer
	var bodyMu sync.Mutex
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Caller i asks for i+1 logs: the page size tells its calls apart.
			q := fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { nodes { logId } } }`, i+1)
			for range rounds {
				resp, err := e.gql.RawPost(q, client.AddHeader("Authorization", "Bearer "+tokens[i]))
				if err != nil {
					t.Error(err)
					return
				}
				bodyMu.Lock()
				fmt.Fprintf(&bodies, "%v %s\n", resp.Data, resp.Errors)
				bodyMu.Unlock()
				var got []string
				if m, ok := resp.Data.(map[string]any); ok {
					for _, n := range m["logs"].(map[string]any)["nodes"].([]any) {
						got = append(got, n.(map[string]any)["logId"].(string))
					}
				}
				answers[i] = got
			}
		}()
	}
	// One caller with a refused token, whose error must not echo it.
	resp, _ := e.gql.RawPost(`{ logs(gatewayId: "prod-chat") { totalCount } }`, client.AddHeader("Authorization", "Bearer refused-secret-value"))
	wg.Wait()
	fmt.Fprintf(&bodies, "%v %s\n", resp.Data, resp.Errors)

	for i, got := range answers {
		if strings.Join(got, ",") != strings.Join(want[:i+1], ",") {
			t.Fatalf("caller %d got %d logs that are not its own answer", i, len(got))
		}
	}
	reqs := e.sim.Requests()
	if len(reqs) != callers*rounds+1 {
		t.Fatalf("%d upstream calls, want %d", len(reqs), callers*rounds+1)
	}
	for _, r := range reqs {
		if r.Authorization == "Bearer refused-secret-value" {
			continue
		}
		caller, _ := strconv.Atoi(r.Query.Get("per_page"))
		if r.Authorization != "Bearer "+tokens[caller-1] {
			t.Fatalf("caller %d's call carried another credential", caller-1)
		}
	}
	for _, secret := range append(tokens, "refused-secret-value") {
		if strings.Contains(logs.String(), secret) || strings.Contains(bodies.String(), secret) {
			t.Fatalf("a credential leaked into the server's logs or answers")
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
