package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/aigw/gqlfacade/restclient"
)

type credentialsKey struct{}

// callerCredentials is what the caller sent, read once per HTTP request.
type callerCredentials struct {
	creds restclient.Credentials
	// problem explains a credential header that is present but unusable;
	// such a request is answered UNAUTHENTICATED rather than silently
	// falling back to the server's own token.
	problem string
}

// WithCallerCredentials reads the caller's `Authorization: Bearer …` or
// `X-Auth-Email` + `X-Auth-Key` headers into the request context. The values
// are only ever forwarded upstream: never logged, cached or returned.
func WithCallerCredentials(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc := readCredentials(r.Header)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), credentialsKey{}, cc)))
	})
}

func readCredentials(h http.Header) callerCredentials {
	// A header sent empty was meant to carry a credential: serving such a
	// request with the server's token would hide the caller's mistake.
	for _, name := range []string{"Authorization", "X-Auth-Email", "X-Auth-Key"} {
		if v, sent := h[name]; sent && strings.TrimSpace(strings.Join(v, "")) == "" {
			return callerCredentials{problem: "the " + name + " header is empty: send a credential in it, or leave it out"}
		}
	}
	if auth := h.Get("Authorization"); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return callerCredentials{problem: "the Authorization header must be `Bearer <Cloudflare API token>`"}
		}
		return callerCredentials{creds: restclient.Credentials{Token: token}}
	}
	email, key := h.Get("X-Auth-Email"), h.Get("X-Auth-Key")
	switch {
	case email != "" && key != "":
		return callerCredentials{creds: restclient.Credentials{Email: email, Key: key}}
	case email != "" || key != "":
		return callerCredentials{problem: "X-Auth-Email and X-Auth-Key must be sent together"}
	}
	return callerCredentials{}
}

// credentialsFor picks the credential of one request: the caller's own, else
// the server's token, else none — which is refused before any upstream call.
func credentialsFor(ctx context.Context, serverToken string) (restclient.Credentials, error) {
	cc, _ := ctx.Value(credentialsKey{}).(callerCredentials)
	switch {
	case cc.problem != "":
		return restclient.Credentials{}, codedError(CodeUnauthenticated, cc.problem)
	case !cc.creds.IsZero():
		return cc.creds, nil
	case serverToken != "":
		return restclient.Credentials{Token: serverToken}, nil
	}
	return restclient.Credentials{}, codedError(CodeUnauthenticated,
		"no credentials: send `Authorization: Bearer <Cloudflare API token>` (or X-Auth-Email and X-Auth-Key)")
}
