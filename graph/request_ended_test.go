package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestThatEndedBeforeItRan: a request whose context is over by the
// time execution would start (its deadline spent in parsing and
// validation, or its client gone) is answered with a coded error, not a
// crash of the connection.
func TestRequestThatEndedBeforeItRan(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(gqlBody(`{ __typename }`, nil)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	var out struct{ Errors []gqlError }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("answer %q: %v", rec.Body.String(), err)
	}
	expectCode(t, out.Errors, "REQUEST_TIMEOUT")
}
