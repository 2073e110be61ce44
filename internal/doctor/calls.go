package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/restclient"
)

// errBudgetSpent refuses a call beyond MaxCalls: a bug in the checks must
// not turn into a burst against the live API.
var errBudgetSpent = fmt.Errorf("doctor: more than %d calls", MaxCalls)

// callBudget counts the calls that reach the transport, and refuses those
// beyond max.
type callBudget struct {
	next http.RoundTripper
	max  int
	n    atomic.Int64
}

func (b *callBudget) RoundTrip(req *http.Request) (*http.Response, error) {
	if b.n.Add(1) > int64(b.max) {
		b.n.Add(-1)
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errBudgetSpent
	}
	return b.next.RoundTrip(req)
}

func (b *callBudget) count() int { return int(b.n.Load()) }

// list is one List Gateway Logs call through restclient (and so its
// validation and response guard), as the service makes it.
func (r *run) list(ctx context.Context, creds restclient.Credentials, account, gateway string, p restclient.ListLogsParams) (*restclient.LogPage, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	return r.client.ListLogs(ctx, creds, account, gateway, p)
}

// rawAnswer is what a raw call shows: the status, Cloudflare's error codes,
// and the counts of a list answer — never the logs themselves.
type rawAnswer struct {
	Status int
	Errors []restclient.ErrorDetail `json:"errors"`
	Info   struct {
		TotalCount *int `json:"total_count"`
		PerPage    *int `json:"per_page"`
	} `json:"result_info"`
	Result []json.RawMessage `json:"result"`
}

// maxRawBody bounds what a raw call reads: a page of 51 logs is far less.
const maxRawBody = 4 << 20

// rawList is one List Gateway Logs call made without restclient, for the
// two answers it would not let the doctor see: one to a per_page above 50
// (which it refuses to send) and one that ignores the filters (which its
// response guard refuses, hiding the counts). q is sent as it is.
func (r *run) rawList(ctx context.Context, q url.Values) (rawAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	path := "/accounts/" + url.PathEscape(r.account) + "/ai-gateway/gateways/" + url.PathEscape(r.gateway) + "/logs"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(r.base, "/")+path+"?"+q.Encode(), nil)
	if err != nil {
		return rawAnswer{}, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "gqlfacade-doctor")
	req.Header.Set("Authorization", "Bearer "+r.creds.Token)
	resp, err := r.hc.Do(req)
	if err != nil {
		return rawAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRawBody))
	if err != nil {
		return rawAnswer{}, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	a := rawAnswer{Status: resp.StatusCode}
	if err := json.Unmarshal(body, &a); err != nil && resp.StatusCode/100 == 2 {
		return rawAnswer{}, fmt.Errorf("GET %s: HTTP %d with a body that is not the expected JSON", path, resp.StatusCode)
	}
	a.Status = resp.StatusCode
	return a, nil
}

// describe says what came back for a failed call, in a few words: the
// status and Cloudflare's first code and message, never a token (restclient
// scrubs what it echoes) nor the data.
func describe(err error) string {
	var fna *restclient.FilterNotAppliedError
	if errors.As(err, &fna) {
		return fmt.Sprintf("answered logs the %s filter excludes: the service refuses such an answer as %s %s", fna.Key, graph.CodeUpstreamError, graph.ReasonFilterNotApplied)
	}
	if e, ok := restclient.AsError(err); ok {
		return httpStatus(e.StatusCode, e.Errors)
	}
	if errors.Is(err, errBudgetSpent) {
		return fmt.Sprintf("not called: the doctor makes at most %d calls", MaxCalls)
	}
	var ue *url.Error
	if errors.As(err, &ue) { // restclient's wording would repeat the whole request
		return "no answer: " + short(ue.Err.Error(), 120)
	}
	return short(err.Error(), 160)
}

// httpStatus reads "HTTP 404, code 7002 "Not Found"".
func httpStatus(status int, details []restclient.ErrorDetail) string {
	s := fmt.Sprintf("HTTP %d", status)
	if len(details) > 0 {
		d := details[0]
		if d.Code != 0 {
			s += fmt.Sprintf(", code %d", d.Code)
		}
		if d.Message != "" {
			s += fmt.Sprintf(" %q", short(d.Message, 60))
		}
	}
	return s
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// failed is the verdict on a check whose call failed: the API refusing
// what the service sends (a 4xx other than 429) breaks the assumption; a
// rate limit, a 5xx or no answer tells nothing.
func failed(id, assumption string, err error) Result {
	res := Result{ID: id, Status: Unknown, Assumption: assumption, Detail: describe(err)}
	var fna *restclient.FilterNotAppliedError
	e, isAPI := restclient.AsError(err)
	switch {
	case errors.As(err, &fna):
		res.Status = Broken
	case isAPI && e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests:
		res.Status = Broken
	}
	return res
}

// logs reads "1 log", "2 logs".
func logs(n int) string {
	if n == 1 {
		return "1 log"
	}
	return fmt.Sprintf("%d logs", n)
}
