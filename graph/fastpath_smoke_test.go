package graph_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graph"
)

func TestFastPathSmoke(t *testing.T) {
	e := newEnv(t)
	slow := graph.NewGqlgenHandler(e.resolver)
	for _, q := range []string{
		`{ logs(gatewayId: "prod-chat", first: 50) { nodes { logId createdAt provider model cost duration tokensIn tokensOut success cached } } }`,
		`{ __typename a: logs(gatewayId: "prod-chat", first: 3) { __typename totalCount edges { cursor node { id metadata modelType statusCode } } pageInfo { hasNextPage endCursor startCursor } summary { minCost maxTotalTokens } } }`,
	} {
		body := `{"query":` + quote(q) + `}`
		got, want := post(e.handler, body), post(slow, body)
		if got != want {
			t.Errorf("%s\nfast: %s\ngqlgen: %s", q, got, want)
		}
		t.Logf("%.300s", got)
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"` }

func post(h http.Handler, body string) string {
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.String()
}
