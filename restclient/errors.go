package restclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrMalformedResponse marks an answer the client could not make sense of: not
// JSON, truncated, the wrong shape, too large, or a 2xx whose envelope says
// success:false. It is always wrapped with detail; test with errors.Is.
var ErrMalformedResponse = errors.New("restclient: malformed response")

// ErrAnswerTooLarge marks a 2xx answer over the client's size cap (32 MiB).
// It comes wrapped in ErrMalformedResponse too, and is never retried: the
// upstream would send the same answer again.
var ErrAnswerTooLarge = errors.New("answer exceeds the size limit")

// malformed wraps ErrMalformedResponse with a reason (and an optional cause,
// which stays reachable through errors.Is/As).
func malformed(reason string, cause error) error {
	if cause != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformedResponse, reason, cause)
	}
	return fmt.Errorf("%w: %s", ErrMalformedResponse, reason)
}

// ErrorDetail is one entry of Cloudflare's `errors` array. Code is absent in
// some answers (the spec's 400 for List Gateway Logs has only a message).
type ErrorDetail struct {
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

// Error is a non-2xx answer from the upstream. It never holds credentials:
// Path is the request path without query string, and messages echoed by the
// upstream are scrubbed of the secrets that were sent.
type Error struct {
	StatusCode int
	Errors     []ErrorDetail
	// RetryAfter is the upstream's Retry-After / retry-after-ms hint, 0 if none.
	RetryAfter time.Duration
	Method     string
	Path       string
}

// maxDetailsInMessage bounds Error() so a chatty upstream cannot produce
// unbounded log lines.
const maxDetailsInMessage = 5

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("restclient: ")
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	for i, d := range e.Errors {
		if i == maxDetailsInMessage {
			fmt.Fprintf(&b, "; (+%d more)", len(e.Errors)-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(d.Message)
		if d.Code != 0 {
			fmt.Fprintf(&b, " (code %d)", d.Code)
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// RateLimitError is a 429 that survived the retry policy. Err.RetryAfter
// tells the caller how long the upstream asked to wait.
type RateLimitError struct {
	Err Error
}

func (e *RateLimitError) Error() string { return e.Err.Error() }

// Unwrap exposes the *Error so errors.As(err, &*Error) works too.
func (e *RateLimitError) Unwrap() error { return &e.Err }

// InvalidInputError reports a bad id, parameter or credential. It is returned
// before any request is made.
type InvalidInputError struct {
	Field  string
	Reason string
}

func (e *InvalidInputError) Error() string {
	return fmt.Sprintf("restclient: invalid %s: %s", e.Field, e.Reason)
}

func invalid(field, reason string, args ...any) *InvalidInputError {
	if len(args) > 0 {
		reason = fmt.Sprintf(reason, args...)
	}
	return &InvalidInputError{Field: field, Reason: reason}
}

// AsError finds the upstream *Error in err's chain, whether it came as a plain
// *Error or inside a *RateLimitError.
func AsError(err error) (*Error, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return &rl.Err, true
	}
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

func statusIs(err error, pred func(int) bool) bool {
	e, ok := AsError(err)
	return ok && pred(e.StatusCode)
}

// IsAuth reports bad, missing or under-privileged credentials: a 401 or
// 403, or an answer carrying an authentication code (a missing credential
// is a 400 with 9106).
func IsAuth(err error) bool {
	e, ok := AsError(err)
	return ok && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden ||
		e.HasCode(CodeMissingAuth, CodeInvalidToken, CodeInvalidHeaders, CodeAuthError))
}

// Cloudflare error codes that decide a failure's class whatever its HTTP
// status (docs/upstream.md lists them with their sources).
const (
	CodeNoRoute         = 7000  // "No route for that URI"
	CodeNotFound        = 7002  // an unknown gateway or log
	CodeCouldNotRoute   = 7003  // "Could not route to …, perhaps your object identifier is invalid?": an account it cannot route to
	CodeMissingAuth     = 9106  // no credential sent (HTTP 400)
	CodeInvalidToken    = 9109  // a malformed or unknown token (HTTP 400)
	CodeInvalidHeaders  = 6003  // malformed request headers, e.g. the Authorization header (HTTP 400)
	CodeAuthError       = 10000 // "Authentication error": a bad credential, or one without the permission needed
	CodeRateLimited     = 971   // "Please wait and consider throttling your request speed"
	CodeRateLimitedPast = 10100 // the older "More than 1200 requests per 300 seconds reached"
)

// HasCode reports whether the upstream's answer carries one of codes.
func (e *Error) HasCode(codes ...int) bool {
	for _, d := range e.Errors {
		for _, c := range codes {
			if d.Code == c {
				return true
			}
		}
	}
	return false
}

// AccountID is the account of the request that failed, read from its path.
func (e *Error) AccountID() string {
	_, rest, ok := strings.Cut(e.Path, "/accounts/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// IsNotFound reports a 404 for an unknown gateway or log. A 404 saying the
// account could not be routed to (7003, 7000) is not one: the account is
// wrong, not the gateway.
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == http.StatusNotFound && !e.HasCode(CodeCouldNotRoute, CodeNoRoute)
}

// IsRateLimited reports a 429.
func IsRateLimited(err error) bool {
	return statusIs(err, func(s int) bool { return s == http.StatusTooManyRequests })
}

// IsBadRequest reports a 400 or 422: the upstream rejected the parameters.
func IsBadRequest(err error) bool {
	return statusIs(err, func(s int) bool { return s == http.StatusBadRequest || s == http.StatusUnprocessableEntity })
}

// IsServer reports a 5xx.
func IsServer(err error) bool {
	return statusIs(err, func(s int) bool { return s >= 500 && s <= 599 })
}

// IsInvalidInput reports an *InvalidInputError (the request was never sent).
func IsInvalidInput(err error) bool {
	var e *InvalidInputError
	return errors.As(err, &e)
}
