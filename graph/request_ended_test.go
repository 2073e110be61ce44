package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRequestThatEndedBeforeItRan: a request whose context is over by the
// time execution would start (its deadline spent in parsing and
// validation, or its client gone) is answered with a coded error, not a
// crash of the connection.
func TestRequestThatEndedBeforeItRan(t *testing.T) {
	e := newEnv(t)
	expired, cancelExpired := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelExpired()
	gone, leave := context.WithCancel(context.Background())
	leave()
	for ctx, code := range map[context.Context]string{expired: "REQUEST_TIMEOUT", gone: "CLIENT_CLOSED_REQUEST"} {
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(gqlBody(`{ __typename }`, nil)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		var out struct{ Errors []gqlError }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("answer %q: %v", rec.Body.String(), err)
		}
		expectCode(t, out.Errors, code)
	}
}
