package observe

import (
	"net/http"

	"github.com/rs/cors"
)

// CORS lets browser apps served from allowedOrigins call the API.
//
// Defaults are closed:
//   - an empty list adds no CORS headers at all: browsers then refuse every
//     cross-origin call (same-origin pages, like the built-in GraphiQL, and
//     non-browser clients are unaffected);
//   - only the listed origins (exact, or with one "*" wildcard such as
//     "https://*.example.com"; "*" alone allows any origin — see below);
//   - methods GET and POST (OPTIONS is the preflight itself);
//   - request headers Content-Type, Authorization, X-Auth-Email, X-Auth-Key,
//     Apollo-Require-Preflight, traceparent and tracestate;
//   - credentials (cookies, TLS client certificates) are not allowed: the API
//     authenticates by headers the app sets itself, so nothing ambient is
//     ever sent on a visitor's behalf;
//   - preflights are cached by browsers for 10 minutes.
//
// "*" is safe only for a service that anyone could reach directly anyway:
// with a server-side token configured, every website a visitor opens could
// otherwise read through the visitor's browser what that token can read.
func CORS(allowedOrigins []string) func(http.Handler) http.Handler {
	if len(allowedOrigins) == 0 {
		// rs/cors would read an empty list as "*".
		return func(next http.Handler) http.Handler { return next }
	}
	c := cors.New(cors.Options{
		AllowedOrigins: allowedOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{
			"Content-Type", "Authorization", "X-Auth-Email", "X-Auth-Key",
			"Apollo-Require-Preflight", "traceparent", "tracestate",
		},
		AllowCredentials: false,
		MaxAge:           600,
	})
	return c.Handler
}
