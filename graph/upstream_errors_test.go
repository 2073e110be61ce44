package graph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// TestUpstreamErrorsAreClassifiedByCode: Cloudflare's error code decides
// the class where the status alone would mislead (a missing credential is
// a 400, a wrong account a 404), and the message names what is wrong.
func TestUpstreamErrorsAreClassifiedByCode(t *testing.T) {
	const path = "/client/v4/accounts/0123456789abcdef0123456789abcdef/ai-gateway/gateways/prod/logs"
	cases := []struct {
		status, code int
		method       string
		want, says   string
	}{
		{400, restclient.CodeMissingAuth, http.MethodGet, CodeUnauthenticated, "Authorization"},
		{400, restclient.CodeInvalidToken, http.MethodGet, CodeUnauthenticated, "Bearer"},
		{400, restclient.CodeInvalidHeaders, http.MethodGet, CodeUnauthenticated, "credentials"},
		{401, restclient.CodeAuthError, http.MethodGet, CodeUnauthenticated, "refused"},
		{403, restclient.CodeAuthError, http.MethodGet, CodeForbidden, "0123456789abcdef0123456789abcdef"},
		{403, restclient.CodeAuthError, http.MethodPatch, CodeForbidden, "Write permission"},
		{404, restclient.CodeCouldNotRoute, http.MethodGet, CodeNotFound, "no account 0123456789abcdef0123456789abcdef"},
		{400, restclient.CodeNoRoute, http.MethodGet, CodeNotFound, "no account"},
		{404, restclient.CodeNotFound, http.MethodGet, CodeNotFound, "no such gateway or log"},
		{429, restclient.CodeRateLimited, http.MethodGet, CodeRateLimited, "rate limit"},
		{400, 0, http.MethodGet, CodeBadUserInput, "rejected"},
		{502, 0, http.MethodGet, CodeUpstreamError, "failed"},
	}
	for _, tc := range cases {
		e := &restclient.Error{StatusCode: tc.status, Method: tc.method, Path: path}
		if tc.code != 0 {
			e.Errors = []restclient.ErrorDetail{{Code: tc.code, Message: "as Cloudflare says"}}
		}
		got := upstreamGraphQLError(e)
		if got.Extensions["code"] != tc.want || !strings.Contains(got.Message, tc.says) {
			t.Errorf("%s %d code %d: %v %q, want %s saying %q", tc.method, tc.status, tc.code, got.Extensions["code"], got.Message, tc.want, tc.says)
		}
	}
}
