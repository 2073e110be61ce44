package observe_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/observe"
)

const allowedOrigin = "https://app.example.com"

// preflight sends a browser's CORS preflight for a POST with credentials
// headers to the endpoint wrapped in observe.CORS(origins).
func preflight(origins []string, origin string) *httptest.ResponseRecorder {
	h := observe.CORS(origins)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	req := httptest.NewRequest(http.MethodOptions, "/query", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	// As browsers send it: lower-case, sorted.
	req.Header.Set("Access-Control-Request-Headers", "apollo-require-preflight,authorization,content-type,traceparent,x-auth-email,x-auth-key")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func corsHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			out[k] = h.Get(k)
		}
	}
	return out
}

func TestCORSPreflightFromAnAllowedOrigin(t *testing.T) {
	rec := preflight([]string{allowedOrigin}, allowedOrigin)
	h := rec.Header()
	if got := h.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("Allow-Origin = %q, want %q", got, allowedOrigin)
	}
	if got := h.Get("Access-Control-Allow-Methods"); got != http.MethodPost {
		t.Errorf("Allow-Methods = %q, want POST", got)
	}
	allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
	for _, want := range []string{"content-type", "authorization", "x-auth-email", "x-auth-key", "apollo-require-preflight", "traceparent"} {
		if !strings.Contains(allowed, want) {
			t.Errorf("Allow-Headers %q lacks %s", allowed, want)
		}
	}
	if got := h.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Allow-Credentials = %q, want none", got)
	}
	if got := h.Get("Access-Control-Max-Age"); got != "600" {
		t.Errorf("Max-Age = %q, want 600", got)
	}
}

func TestCORSRefusesOtherOriginsAndMethods(t *testing.T) {
	if got := corsHeaders(preflight([]string{allowedOrigin}, "https://evil.example.net").Header()); len(got) > 0 {
		t.Errorf("preflight from another origin got CORS headers %v", got)
	}
	// No list, no CORS at all — not even for the origin that would be allowed.
	if got := corsHeaders(preflight(nil, allowedOrigin).Header()); len(got) > 0 {
		t.Errorf("CORS(nil) answered with CORS headers %v", got)
	}
	h := observe.CORS([]string{allowedOrigin})(http.NotFoundHandler())
	req := httptest.NewRequest(http.MethodOptions, "/query", nil)
	req.Header.Set("Origin", allowedOrigin)
	req.Header.Set("Access-Control-Request-Method", http.MethodDelete)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := corsHeaders(rec.Header()); len(got) > 0 {
		t.Errorf("preflight of DELETE got CORS headers %v", got)
	}
}

func TestCORSActualRequestFromAnAllowedOrigin(t *testing.T) {
	h := observe.CORS([]string{allowedOrigin})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"data":{}}`))
	}))
	for origin, want := range map[string]string{allowedOrigin: allowedOrigin, "https://evil.example.net": ""} {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{}`))
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("POST from %s: Allow-Origin = %q, want %q", origin, got, want)
		}
		if rec.Code != http.StatusOK {
			t.Errorf("POST from %s: status %d (CORS is the browser's business; the server still answers)", origin, rec.Code)
		}
	}
}
