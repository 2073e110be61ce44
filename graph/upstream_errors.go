package graph

import (
	"fmt"
	"math"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/restclient"
)

// upstreamGraphQLError turns an upstream failure into a GraphQL error: its
// code and message from Cloudflare's error code first (the same status may
// mean different things: a 400 is a missing credential as often as a bad
// parameter), then from the HTTP status; what Cloudflare said stays in
// extensions.upstream.
func upstreamGraphQLError(e *restclient.Error) *gqlerror.Error {
	code, msg := classifyUpstream(e)
	details := make([]map[string]any, 0, len(e.Errors))
	for _, d := range e.Errors {
		item := map[string]any{"message": d.Message}
		if d.Code != 0 {
			item["code"] = d.Code
		}
		details = append(details, item)
	}
	out := codedError(code, msg)
	out.Extensions["upstream"] = map[string]any{"status": e.StatusCode, "errors": details}
	if code == CodeRateLimited {
		out.Extensions["retryAfter"] = int(math.Ceil(e.RetryAfter.Seconds()))
	}
	return out
}

func classifyUpstream(e *restclient.Error) (code, msg string) {
	writing := e.Method != "" && e.Method != http.MethodGet
	switch {
	case e.HasCode(restclient.CodeMissingAuth, restclient.CodeInvalidToken, restclient.CodeInvalidHeaders),
		e.StatusCode == http.StatusUnauthorized:
		return CodeUnauthenticated, "the upstream refused the credentials: send `Authorization: Bearer <Cloudflare API token>` (or X-Auth-Email and X-Auth-Key)"
	case e.StatusCode == http.StatusForbidden || e.HasCode(restclient.CodeAuthError):
		if writing {
			return CodeForbidden, "the credentials may not change this account's AI Gateway logs: the token needs the AI Gateway Write permission"
		}
		return CodeForbidden, fmt.Sprintf("the credentials may not read the AI Gateway logs of account %s: the token needs the AI Gateway Read permission on it", e.AccountID())
	case e.HasCode(restclient.CodeCouldNotRoute, restclient.CodeNoRoute):
		return CodeNotFound, fmt.Sprintf("no account %s: Cloudflare could not route the request to it (the account id is wrong, or the credentials cannot see it)", e.AccountID())
	case e.HasCode(restclient.CodeRateLimited, restclient.CodeRateLimitedPast), e.StatusCode == http.StatusTooManyRequests:
		return CodeRateLimited, "the upstream's rate limit was reached"
	case e.StatusCode == http.StatusNotFound:
		return CodeNotFound, "no such gateway or log"
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		return CodeBadUserInput, "the upstream rejected the query"
	case e.StatusCode == http.StatusGatewayTimeout || e.StatusCode == http.StatusRequestTimeout:
		return CodeUpstreamTimeout, "the upstream timed out"
	}
	return CodeUpstreamError, "the upstream failed"
}
