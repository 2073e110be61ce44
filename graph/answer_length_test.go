package graph_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// An answer goes out with its length, executed or refused: a client (or a
// proxy) reads it without chunked framing.
func TestAnswersCarryTheirContentLength(t *testing.T) {
	e := newEnv(t)
	for name, body := range map[string]string{
		"a page of logs":  `{"query":"{ logs(gatewayId: \"prod-chat\", first: 5) { nodes { logId model } } }"}`,
		"a request error": `{"query":"{ noSuchField }"}`,
		"a body not JSON": `{`,
	} {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		a := serve(t, e.handler, req)
		if got, want := a.header.Get("Content-Length"), strconv.Itoa(len(a.raw)); got != want {
			t.Errorf("%s: Content-Length %q, want %s (the answer's length)", name, got, want)
		}
	}
}
