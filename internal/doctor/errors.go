package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/restclient"
)

// missingGateway is a well-formed gateway id the account is not expected
// to have.
const missingGateway = "gqlfacade-doctor-no-such-gateway"

// otherAccount is a well-formed account id that is not the one checked.
func otherAccount(mine string) string {
	if id := strings.Repeat("0", 32); id != mine {
		return id
	}
	return strings.Repeat("f", 32)
}

// errorShape calls List Gateway Logs in a way that must fail and judges the
// answer by what the service would make of it (graph.ClassifyUpstreamError):
// ok says whether that is the answer users should get.
func (r *run) errorShape(ctx context.Context, id, assumption string, creds restclient.Credentials, account, gateway string, ok func(e *restclient.Error, code, msg string) bool) Result {
	if !creds.IsZero() {
		if res := r.needLogs(id, assumption, 0); res != nil {
			return *res
		}
	}
	page, err := r.list(ctx, creds, account, gateway, restclient.ListLogsParams{PerPage: 1})
	if err == nil {
		return Result{id, Broken, assumption, fmt.Sprintf("answered 200 with %s, total_count %d: the service would answer with data, not an error", logs(len(page.Logs)), page.Info.TotalCount)}
	}
	e, isAPI := restclient.AsError(err)
	if !isAPI {
		return failed(id, assumption, err)
	}
	code, msg := graph.ClassifyUpstreamError(e)
	detail := serviceAnswer(e)
	switch {
	case ok(e, code, msg):
		return Result{id, Holds, assumption, detail}
	case e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500:
		return Result{id, Unknown, assumption, detail}
	}
	return Result{id, Broken, assumption, detail}
}

// checkMissingGateway: List Gateway Logs of an unknown gateway is a 404
// (the spec documents only 200 and 400 for it), so the service answers
// NOT_FOUND rather than an empty list.
func (r *run) checkMissingGateway(ctx context.Context) Result {
	return r.errorShape(ctx, CheckMissingGateway, "a missing gateway is NOT_FOUND, not an empty list", r.creds, r.account, missingGateway,
		func(e *restclient.Error, code, _ string) bool {
			return code == graph.CodeNotFound && restclient.IsNotFound(e)
		})
}

// checkWrongAccount: an account the token cannot reach is told from a
// missing gateway: NOT_FOUND or FORBIDDEN naming the account.
func (r *run) checkWrongAccount(ctx context.Context) Result {
	other := otherAccount(r.account)
	return r.errorShape(ctx, CheckWrongAccount, "a wrong account is told apart from a missing gateway", r.creds, other, r.gateway,
		func(e *restclient.Error, code, msg string) bool {
			return (code == graph.CodeNotFound || code == graph.CodeForbidden) && strings.Contains(msg, other)
		})
}

// checkMissingCredential: a call without a credential is UNAUTHENTICATED
// (Cloudflare's 400 code 9106 is reported), not a bad query or a missing
// permission.
func (r *run) checkMissingCredential(ctx context.Context) Result {
	return r.errorShape(ctx, CheckMissingCredential, "a missing credential is UNAUTHENTICATED", restclient.Credentials{}, r.account, r.gateway,
		func(_ *restclient.Error, code, _ string) bool { return code == graph.CodeUnauthenticated })
}

// serviceAnswer says what came back and what the service makes of it.
func serviceAnswer(e *restclient.Error) string {
	code, msg := graph.ClassifyUpstreamError(e)
	return fmt.Sprintf("%s: the service answers %s %q", httpStatus(e.StatusCode, e.Errors), code, short(msg, 60))
}
