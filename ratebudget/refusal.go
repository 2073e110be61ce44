package ratebudget

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Headers of a refusal. RefusedHeader tells the caller (and this package, if
// the response ever comes back through it) that the 429 was made locally and
// the upstream was never called; ReasonHeader says why.
const (
	RefusedHeader = "X-Ratebudget-Refused"
	ReasonHeader  = "X-Ratebudget-Reason"
)

// refusalReason is a metric label and the value of ReasonHeader.
type refusalReason string

const (
	// reasonBudget: the credential's bucket has no token soon enough.
	reasonBudget refusalReason = "budget"
	// reasonPaused: the upstream answered 429 for this credential recently
	// and asked us to stay away for a while.
	reasonPaused refusalReason = "paused"
	// reasonUpstream: the upstream's Ratelimit header said no call is left
	// until its window resets.
	reasonUpstream refusalReason = "upstream_exhausted"
)

// rateLimitedCode is Cloudflare's own error code for "rate limited", so that
// a refusal reads like the 429 the upstream would have sent a moment later.
const rateLimitedCode = 971

// refusal builds the synthetic 429 sent instead of calling the upstream.
//
// Retry-After is in whole seconds, rounded up, and never below 1: restclient
// sleeps that long before retrying (when it is within its MaxBackoff), so a
// rounded-down or zero hint would send the retry back before a token exists,
// and a refusal would turn into a loop of refusals. A hint above the
// client's MaxBackoff makes it give up at once and surface a RateLimitError
// with this RetryAfter, which the GraphQL layer reports as retryAfter.
func refusal(req *http.Request, reason refusalReason, wait time.Duration) *http.Response {
	secs := retryAfterSeconds(wait)
	var msg string
	switch reason {
	case reasonPaused:
		msg = fmt.Sprintf("local rate budget exhausted: the upstream rate-limited this credential; retry in %ds", secs)
	case reasonUpstream:
		msg = fmt.Sprintf("the upstream's rate limit has no call left for this credential until its window resets; retry in %ds", secs)
	default:
		msg = fmt.Sprintf("local rate budget exhausted: no request allowed for this credential for %ds", secs)
	}
	body, _ := json.Marshal(map[string]any{ // cannot fail: plain values
		"success":  false,
		"errors":   []map[string]any{{"code": rateLimitedCode, "message": msg}},
		"messages": []any{},
		"result":   nil,
	})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Retry-After", strconv.FormatInt(secs, 10))
	h.Set(RefusedHeader, "1")
	h.Set(ReasonHeader, string(reason))
	return &http.Response{
		Status:        "429 Too Many Requests",
		StatusCode:    http.StatusTooManyRequests,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

func retryAfterSeconds(d time.Duration) int64 {
	s := int64(math.Ceil(d.Seconds()))
	return max(s, 1)
}
