package restclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestErrorClasses(t *testing.T) {
	type pred struct {
		name string
		fn   func(error) bool
	}
	all := []pred{{"IsAuth", IsAuth}, {"IsNotFound", IsNotFound}, {"IsRateLimited", IsRateLimited}, {"IsBadRequest", IsBadRequest}, {"IsServer", IsServer}}
	tests := []struct {
		status int
		body   string
		want   string // the one predicate that must hold
		code   int
	}{
		{401, errorBody(10000, "Authentication error"), "IsAuth", 10000},
		{403, errorBody(10000, "Authentication error"), "IsAuth", 10000},
		{404, errorBody(7002, "Not Found"), "IsNotFound", 7002},
		{400, `{"success":false,"errors":[{"message":"Invalid filters"}],"result":{}}`, "IsBadRequest", 0},
		{422, errorBody(7001, "Invalid enum value"), "IsBadRequest", 7001},
		{429, errorBody(971, "Please wait and consider throttling your request speed"), "IsRateLimited", 971},
		{500, errorBody(10001, "Internal error"), "IsServer", 10001},
		{502, `<html><body>Bad gateway</body></html>`, "IsServer", 0},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, tt.status, tt.body)
			})
			c, _ := newTestClient(t, srv, Options{MaxRetries: -1}, false)
			page, err := c.ListLogs(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{PerPage: 5})
			if err == nil || page != nil {
				t.Fatalf("want an error, got %v, %v", page, err)
			}
			for _, p := range all {
				if got := p.fn(err); got != (p.name == tt.want) {
					t.Errorf("%s(err) = %v", p.name, got)
				}
			}
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("AsError failed on %T", err)
			}
			if e.StatusCode != tt.status || e.Method != "GET" {
				t.Errorf("error = %+v", e)
			}
			if e.Path != "/accounts/"+testAccount+"/ai-gateway/gateways/"+testGateway+"/logs" {
				t.Errorf("Path = %q (must have no query and no base)", e.Path)
			}
			if tt.code != 0 && (len(e.Errors) != 1 || e.Errors[0].Code != tt.code) {
				t.Errorf("details = %+v", e.Errors)
			}
			msg := err.Error()
			if strings.Contains(msg, testToken) || strings.Contains(msg, "per_page") {
				t.Errorf("Error() leaks token or query: %s", msg)
			}
			if !strings.Contains(msg, http.StatusText(tt.status)) {
				t.Errorf("Error() lacks the status: %s", msg)
			}
			var rl *RateLimitError
			if errors.As(err, &rl) != (tt.status == 429) {
				t.Errorf("*RateLimitError only for 429, got %T", err)
			}
			if seen.count() != 1 {
				t.Errorf("requests = %d", seen.count())
			}
		})
	}
}

// An upstream echoing the secret must not put it into our error.
func TestErrorScrubsEchoedSecrets(t *testing.T) {
	srv, _ := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 403, errorBody(10000, "bad key "+r.Header.Get("X-Auth-Key")+" for "+r.Header.Get("X-Auth-Email")))
	})
	c, _ := newTestClient(t, srv, Options{}, false)
	_, err := c.ListLogs(context.Background(), Credentials{Email: "me@example.com", Key: testKey}, testAccount, testGateway, ListLogsParams{})
	if !IsAuth(err) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("Error() = %s", err)
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{StatusCode: 429, Method: "GET", Path: "/x", RetryAfter: 3 * time.Second,
		Errors: []ErrorDetail{{Code: 1, Message: "a"}, {Message: "b"}}}
	want := "restclient: GET /x: HTTP 429 Too Many Requests: a (code 1); b (retry after 3s)"
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	rl := &RateLimitError{Err: *e}
	if rl.Error() != want || rl.Err.RetryAfter != 3*time.Second {
		t.Errorf("RateLimitError: %s", rl.Error())
	}
	var plain *Error
	if !errors.As(error(rl), &plain) || plain.StatusCode != 429 {
		t.Error("errors.As(*RateLimitError, **Error) failed")
	}
	if _, ok := AsError(errors.New("x")); ok || IsServer(nil) || IsAuth(errors.New("401")) {
		t.Error("helpers matched a non-API error")
	}
}
