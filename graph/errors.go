package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/breaker"
	"github.com/aigw/gqlfacade/graph/paging"
	"github.com/aigw/gqlfacade/restclient"
)

// The extensions.code values of the public contract (the README lists them).
const (
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeUnauthenticated     = "UNAUTHENTICATED"
	CodeForbidden           = "FORBIDDEN"
	CodeNotFound            = "NOT_FOUND"
	CodeRateLimited         = "RATE_LIMITED"
	CodeUpstreamError       = "UPSTREAM_ERROR"
	CodeUpstreamTimeout     = "UPSTREAM_TIMEOUT"
	CodeQueryTooExpensive   = "QUERY_TOO_EXPENSIVE"
	CodeRequestTimeout      = "REQUEST_TIMEOUT"
	CodeInternalServerError = "INTERNAL_SERVER_ERROR"
)

// Values of extensions.upstream.reason: why an upstream call gave no usable
// answer although the upstream may well be up.
const (
	ReasonAnswerTooLarge = "ANSWER_TOO_LARGE"
	// ReasonFilterNotApplied: the answer holds logs the filters exclude;
	// it was refused, not returned unfiltered.
	ReasonFilterNotApplied = "FILTER_NOT_APPLIED"
	// ReasonCircuitOpen: the upstream kept failing, so the call was not
	// made; the code is that of the failure it stands for.
	ReasonCircuitOpen = "CIRCUIT_OPEN"
)

// Codes of the HTTP edge.
const (
	// CodeServiceUnavailable: the server is serving as many requests as it
	// may (HTTP 503 with Retry-After); nothing of the request was run.
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE"
	// CodeClientClosedRequest: the client went away before its answer was
	// ready (nginx's 499); its upstream calls were cancelled. It is the
	// client's doing, not the upstream's, and is logged and counted apart.
	CodeClientClosedRequest = "CLIENT_CLOSED_REQUEST"
)

// CodeSlowSubscriber ends a subscription whose client did not take its
// events as fast as they came (its queue of events filled up): it should
// subscribe again from the last cursor it received.
const CodeSlowSubscriber = "SLOW_SUBSCRIBER"

func codedError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// badInput is an error in what the client sent; it never reaches upstream.
func badInput(msg string) *gqlerror.Error { return codedError(CodeBadUserInput, msg) }

// toGraphQLError gives every failure a GraphQL error with extensions.code.
// Upstream failures also carry extensions.upstream {status, errors} so a
// client can see what Cloudflare said; nothing in them is a credential.
func toGraphQLError(ctx context.Context, err error) error {
	var gqlErr *gqlerror.Error
	var pagingErr *paging.InputError
	var inputErr *restclient.InvalidInputError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &gqlErr):
		return gqlErr
	case errors.As(err, &pagingErr):
		return badInput(pagingErr.Msg)
	case errors.As(err, &inputErr):
		return badInput(inputErr.Error())
	}
	if upstream, ok := restclient.AsError(err); ok {
		return upstreamGraphQLError(upstream)
	}
	var open *breaker.OpenError
	if errors.As(err, &open) {
		return circuitOpenError(open)
	}
	// The request's context is cancelled only when its client goes away
	// (net/http cancels it); the request's own deadline ends it with
	// DeadlineExceeded instead.
	if errors.Is(ctx.Err(), context.Canceled) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return codedError(CodeClientClosedRequest, "the client closed the request before it was answered")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return codedError(CodeUpstreamTimeout, "the upstream did not answer in time")
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return codedError(CodeUpstreamTimeout, "the request was cancelled before the upstream answered")
	}
	var ignored *restclient.FilterNotAppliedError
	if errors.As(err, &ignored) {
		out := codedError(CodeUpstreamError, fmt.Sprintf("the upstream's answer does not hold to the filter on %s: it is refused rather than returned unfiltered", ignored.Key))
		out.Extensions["upstream"] = map[string]any{"reason": ReasonFilterNotApplied, "key": string(ignored.Key)}
		return out
	}
	if errors.Is(err, restclient.ErrAnswerTooLarge) {
		out := codedError(CodeUpstreamError, "the upstream's answer was too large")
		out.Extensions["upstream"] = map[string]any{"reason": ReasonAnswerTooLarge}
		return out
	}
	if errors.Is(err, restclient.ErrMalformedResponse) {
		return codedError(CodeUpstreamError, "the upstream sent a malformed answer")
	}
	return codedError(CodeUpstreamError, "the upstream could not be reached")
}

// circuitOpenError answers a call the circuit breaker refused with the code
// of the failure that opened the circuit, so that clients handle it as they
// would that failure (RATE_LIMITED keeps its retryAfter: the cool-down left).
func circuitOpenError(open *breaker.OpenError) *gqlerror.Error {
	var out *gqlerror.Error
	if open.Status == 0 {
		out = codedError(CodeUpstreamError, "the upstream could not be reached")
		out.Extensions["upstream"] = map[string]any{}
	} else {
		out = upstreamGraphQLError(&restclient.Error{StatusCode: open.Status, RetryAfter: open.RetryAfter})
	}
	out.Message += "; calls to it are paused after repeated failures"
	out.Extensions["upstream"].(map[string]any)["reason"] = ReasonCircuitOpen
	return out
}
