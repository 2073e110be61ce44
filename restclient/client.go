package restclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aigw/gqlfacade/internal/httpx"
	"github.com/aigw/gqlfacade/internal/timex"
)

// DefaultBaseURL is Cloudflare's v4 API root.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

const (
	defaultUserAgent = "aigw-gqlfacade-restclient/1"
	// maxBodyBytes caps a 2xx body: a full page of logs is far smaller, and an
	// unbounded read would let a broken upstream exhaust memory.
	maxBodyBytes = 32 << 20
	// maxErrorBodyBytes caps what is read of an error answer.
	maxErrorBodyBytes = 1 << 20
	// drainBytes is how much unread body is discarded before closing, so that
	// the connection can go back to the keep-alive pool.
	drainBytes = 256 << 10
)

// Options configure a Client. Zero values select the documented defaults.
type Options struct {
	BaseURL     string        // "": DefaultBaseURL
	HTTPClient  *http.Client  // nil: NewHTTPClient(0)
	UserAgent   string        // "": a restclient default
	MaxRetries  int           // 0: 3; negative: no retries
	MaxBackoff  time.Duration // cap of one wait; 0: 5s
	RetryBudget time.Duration // total waiting across the retries of one call; 0: 10s
	// OnFilterNotApplied, if set, is told of every list answer refused
	// because it does not hold to a filter sent (FilterNotAppliedError).
	OnFilterNotApplied func(FilterKey)
}

// Client calls the AI Gateway REST API. It holds no credentials (they come
// with each call) and is safe for concurrent use.
type Client struct {
	base string // scheme://host/path, no trailing slash
	hc   *http.Client
	// attemptLimit bounds one attempt, body included: the HTTP client's
	// Timeout, moved here (see New).
	attemptLimit time.Duration
	userAgent    string
	maxRetries   int
	maxBackoff   time.Duration
	retryBudget  time.Duration

	onFilterNotApplied func(FilterKey)

	// Injectable for tests: how to wait, what time it is, and how large a
	// 2xx body may be (maxBodyBytes; a test need not send 32 MiB to go
	// over it).
	sleep   func(ctx context.Context, d time.Duration) error
	now     func() time.Time
	maxBody int64
}

// New validates opts and builds a Client.
func New(opts Options) (*Client, error) {
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, invalid("BaseURL", "cannot be parsed: %v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, invalid("BaseURL", "scheme must be http or https")
	case u.Host == "" || u.Opaque != "":
		return nil, invalid("BaseURL", "must be an absolute URL with a host")
	case u.User != nil:
		// Credentials in a URL end up in error messages and logs.
		return nil, invalid("BaseURL", "must not contain user info; pass Credentials per call")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, invalid("BaseURL", "must not contain a query or fragment")
	}
	if opts.MaxBackoff < 0 {
		return nil, invalid("MaxBackoff", "must not be negative")
	}
	if opts.RetryBudget < 0 {
		return nil, invalid("RetryBudget", "must not be negative")
	}
	c := &Client{
		base:        strings.TrimRight(u.String(), "/"),
		userAgent:   opts.UserAgent,
		maxRetries:  opts.MaxRetries,
		maxBackoff:  opts.MaxBackoff,
		retryBudget: opts.RetryBudget,

		onFilterNotApplied: opts.OnFilterNotApplied,
		sleep:              timex.Sleep,
		now:                time.Now,
		maxBody:            maxBodyBytes,
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.maxBackoff == 0 {
		c.maxBackoff = defaultMaxBackoff
	}
	if c.retryBudget == 0 {
		c.retryBudget = defaultRetryBudget
	}
	if opts.HTTPClient == nil {
		c.hc = NewHTTPClient(0)
	} else {
		// A shallow copy shares the caller's transport (and its pool) but
		// never follows redirects (see NewHTTPClient).
		hc := *opts.HTTPClient
		hc.CheckRedirect = noRedirects
		c.hc = &hc
	}
	// http.Client.Timeout makes every request start a timer goroutine and
	// wake another at its end (net/http's setRequestCancel): measured, 15 µs
	// of CPU and two goroutine hand-offs on each call. A context deadline
	// bounds the attempt the same way, body read included, with neither.
	c.attemptLimit, c.hc.Timeout = c.hc.Timeout, 0
	return c, nil
}

// do performs one API call with the retry policy: path is relative to the
// base URL and already escaped (built from validated ids), query may be nil,
// body (if non-nil) is sent as JSON, and out (if non-nil) decodes the 2xx
// body itself if it implements bodyDecoder, else receives the envelope's
// `result`. Every endpoint goes through here.
func (c *Client) do(ctx context.Context, creds Credentials, method, path string, query url.Values, body, out any) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := creds.validate(); err != nil {
		return err
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
		return invalid("path", "must start with / and hold no query or fragment")
	}
	u, err := url.Parse(c.base + path)
	if err != nil {
		return invalid("path", "cannot be parsed: %v", err)
	}
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	var payload []byte
	if body != nil {
		if payload, err = json.Marshal(body); err != nil {
			return invalid("body", "cannot be encoded as JSON: %v", err)
		}
	}
	target := u.String()
	if err := checkURLLength(target); err != nil {
		return err
	}
	n := 0
	return c.withRetries(ctx, method, path, func() attemptResult {
		n++
		return c.attempt(withAttempt(ctx, n), creds, method, path, target, payload, out)
	})
}

// attempt is one HTTP exchange, classified for the retry policy.
func (c *Client) attempt(ctx context.Context, creds Credentials, method, path, target string, payload []byte, out any) attemptResult {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	reqCtx, cancel := c.limitAttempt(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, method, target, rd)
	if err != nil {
		return attemptResult{err: fmt.Errorf("restclient: %s %s: %w", method, path, err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	creds.apply(req.Header)

	resp, err := c.hc.Do(req)
	if err != nil {
		// *url.Error quotes the full URL; keep its type (Timeout() etc.) but
		// drop the query, which may hold the caller's search text.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = c.base + path
		}
		return attemptResult{
			err:       fmt.Errorf("restclient: %s %s: %w", method, path, err),
			retryable: retryableTransport(ctx, err),
		}
	}
	defer closeBody(resp.Body)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.errorResult(resp, creds, method, path)
	}
	buf := getBodyBuffer()
	defer putBodyBuffer(buf)
	data, err := readBodyInto(buf, resp.Body, resp.ContentLength, c.maxBody)
	if err != nil {
		// A body cut off mid-read is transient; one that is too big is not.
		retry := !errors.Is(err, ErrAnswerTooLarge) && retryableTransport(ctx, err)
		return attemptResult{err: withCall(malformed("reading body", err), method, path), retryable: retry}
	}
	bd, ok := out.(bodyDecoder)
	if !ok {
		if out == nil && len(bytes.TrimSpace(data)) == 0 {
			return attemptResult{} // e.g. 204 No Content
		}
		bd = resultOut{out}
	}
	if err := bd.decodeBody(decoder{unmarshal: decodeJSON, scrub: creds.scrub}, data); err != nil {
		return attemptResult{err: withCall(err, method, path)}
	}
	return attemptResult{}
}

// limitAttempt is ctx bounded by attemptLimit, unless ctx ends sooner.
func (c *Client) limitAttempt(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.attemptLimit <= 0 {
		return ctx, func() {}
	}
	if dl, ok := ctx.Deadline(); ok && dl.Sub(c.now()) <= c.attemptLimit {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.attemptLimit)
}

// errorResult turns a non-2xx answer into *Error (or *RateLimitError for 429).
func (c *Client) errorResult(resp *http.Response, creds Credentials, method, path string) attemptResult {
	buf := getBodyBuffer()
	defer putBodyBuffer(buf)
	data, _ := readBodyInto(buf, resp.Body, resp.ContentLength, maxErrorBodyBytes) // best effort: the status alone is an answer
	details := parseErrorBody(decodeJSON, data)
	for i := range details {
		details[i].Message = creds.scrub(details[i].Message)
	}
	e := &Error{
		StatusCode: resp.StatusCode,
		Errors:     details,
		RetryAfter: httpx.RetryAfter(resp.Header, c.now()),
		Method:     method,
		Path:       path,
	}
	var err error = e
	if resp.StatusCode == http.StatusTooManyRequests {
		err = &RateLimitError{Err: *e}
	}
	return attemptResult{err: err, retryable: retryableStatus(resp.StatusCode), retryAfter: e.RetryAfter}
}

// withCall adds the request line to a decoding error.
func withCall(err error, method, path string) error {
	return fmt.Errorf("%w (%s %s)", err, method, path)
}

// readBodyInto reads r to EOF into buf, refusing more than limit bytes. A
// known length (Content-Length; -1 if unknown) sizes buf in one step. The
// result aliases buf.
func readBodyInto(buf *bytes.Buffer, r io.Reader, length, limit int64) ([]byte, error) {
	if length > 0 && length <= limit {
		// + MinRead: ReadFrom wants that much room for the read that sees EOF.
		buf.Grow(int(length) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, ErrAnswerTooLarge
	}
	return buf.Bytes(), nil
}

// Bodies are read into recycled buffers: every decoder copies what it keeps
// (the JSON libraries' strings and RawMessages, storedBody's clone), so a
// buffer is free again when its attempt returns.
// Buffers that grew past maxPooledBody are left to the GC rather than kept.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 1 << 20

func getBodyBuffer() *bytes.Buffer { return bodyBuffers.Get().(*bytes.Buffer) }

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBody {
		return
	}
	b.Reset()
	bodyBuffers.Put(b)
}

// closeBody drains a little of what is left so the connection can be reused,
// then closes.
func closeBody(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, drainBytes))
	_ = b.Close()
}
