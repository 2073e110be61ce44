// Package doctor checks, with a few read-only calls, that the live
// Cloudflare API still behaves as the service assumes (docs/upstream.md):
// the assumptions every test here makes through the simulator, and which,
// if false, make the service answer wrongly without an error.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// MaxCalls bounds the upstream calls of one run, gateway lookup included:
// the doctor spends the same rate budget (1200 calls per 5 minutes) as the
// service it checks.
const MaxCalls = 20

// Config says what to check. Token is the server-side API token the
// service would use; it is sent as a Bearer token and never printed.
type Config struct {
	BaseURL   string
	AccountID string
	Token     string
	// GatewayID is the gateway whose logs are read; "" picks the first
	// gateway of the account.
	GatewayID string
	// HTTPClient carries every call; nil: restclient.NewHTTPClient(1).
	HTTPClient *http.Client
	// CallTimeout bounds each call; 0: 20s.
	CallTimeout time.Duration
	// Now is the clock of the snapshot bound; nil: time.Now.
	Now func() time.Time
}

// Status is the verdict on one assumption.
type Status int

const (
	Holds   Status = iota
	Broken         // the API answered, and not as the service assumes
	Unknown        // the answer could not tell: a failed call, or data too thin
)

func (s Status) String() string {
	switch s {
	case Holds:
		return "holds"
	case Broken:
		return "broken"
	}
	return "unknown"
}

// Check ids, one per assumption, in the order they run.
const (
	CheckListing           = "listing"
	CheckImpossibleID      = "impossible-id"
	CheckProviderEq        = "provider-eq"
	CheckEqAnyOf           = "eq-any-of"
	CheckCreatedAtMillis   = "created-at-ms"
	CheckOrderBy           = "order-by"
	CheckPerPage           = "per-page"
	CheckMetaInfo          = "meta-info"
	CheckMissingGateway    = "missing-gateway"
	CheckWrongAccount      = "wrong-account"
	CheckMissingCredential = "missing-credential"
)

// Result is one line of the report: Detail says what came back.
type Result struct {
	ID         string
	Status     Status
	Assumption string
	Detail     string
}

func (r Result) String() string {
	line := fmt.Sprintf("%-7s %s", r.Status, r.Assumption)
	if r.Detail != "" {
		line += " (" + r.Detail + ")"
	}
	return line
}

// Report is a whole run.
type Report struct {
	Gateway string
	Results []Result
	Calls   int // upstream calls made
}

// ExitCode is the command's exit status: 0 when every assumption holds, 1
// when one is broken or could not be checked.
func (r Report) ExitCode() int {
	for _, res := range r.Results {
		if res.Status != Holds {
			return 1
		}
	}
	return 0
}

// Run checks every assumption against the API, writing one line per
// assumption to w as it is decided, then a summary. The error is for what
// stops the run before any check: a bad Config, or no gateway to check.
func Run(ctx context.Context, cfg Config, w io.Writer) (Report, error) {
	r, err := newRun(cfg)
	if err != nil {
		return Report{}, err
	}
	if r.gateway == "" {
		if r.gateway, err = r.firstGateway(ctx); err != nil {
			return Report{Calls: r.calls.count()}, err
		}
	}
	fmt.Fprintf(w, "gqlfacade doctor: gateway %s of account %s at %s\n", r.gateway, r.account, cfg.BaseURL)
	rep := Report{Gateway: r.gateway}
	for _, check := range r.checks() {
		res := check(ctx)
		rep.Results = append(rep.Results, res)
		fmt.Fprintln(w, res)
	}
	rep.Calls = r.calls.count()
	fmt.Fprintln(w, summary(rep))
	return rep, nil
}

func summary(rep Report) string {
	var broken, unknown int
	for _, res := range rep.Results {
		switch res.Status {
		case Broken:
			broken++
		case Unknown:
			unknown++
		}
	}
	if broken+unknown == 0 {
		return fmt.Sprintf("all %d assumptions hold (%d read-only calls)", len(rep.Results), rep.Calls)
	}
	return fmt.Sprintf("%d broken, %d unknown of %d assumptions (%d read-only calls): see docs/upstream.md before relying on the service", broken, unknown, len(rep.Results), rep.Calls)
}

// run is the state the checks share.
type run struct {
	client  *restclient.Client
	hc      *http.Client // for raw calls; counts with client's
	calls   *callBudget
	base    string
	account string
	gateway string
	creds   restclient.Credentials
	timeout time.Duration
	// snapshot bounds every query whose totals are compared, so that logs
	// arriving meanwhile do not move them.
	snapshot time.Time
	first    *restclient.LogPage // the listing check's page; nil if it failed
}

func newRun(cfg Config) (*run, error) {
	switch {
	case cfg.Token == "":
		return nil, errors.New("no API token: the doctor calls the API with the token the service uses")
	case cfg.AccountID == "":
		return nil, errors.New("no account id")
	}
	if err := restclient.ValidateAccountID(cfg.AccountID); err != nil {
		return nil, err
	}
	if cfg.GatewayID != "" {
		if err := restclient.ValidateGatewayID(cfg.GatewayID); err != nil {
			return nil, err
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = restclient.NewHTTPClient(1)
	}
	budget := &callBudget{next: hc.Transport, max: MaxCalls}
	if budget.next == nil {
		budget.next = http.DefaultTransport
	}
	counted := &http.Client{Transport: budget, Timeout: hc.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	client, err := restclient.New(restclient.Options{
		BaseURL: cfg.BaseURL, HTTPClient: counted, UserAgent: "gqlfacade-doctor",
		MaxRetries: -1, // every call counts: a retry would be one more
	})
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	timeout := cfg.CallTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	return &run{
		client: client, hc: counted, calls: budget, base: cfg.BaseURL,
		account: cfg.AccountID, gateway: cfg.GatewayID,
		creds:   restclient.Credentials{Token: cfg.Token},
		timeout: timeout, snapshot: now().UTC().Truncate(time.Millisecond),
	}, nil
}

// checks are run in order; those after the listing read its page.
func (r *run) checks() []func(context.Context) Result {
	return []func(context.Context) Result{
		r.checkListing,
		r.checkImpossibleID, r.checkProviderEq, r.checkEqAnyOf, r.checkCreatedAtMillis,
		r.checkOrderBy, r.checkPerPage, r.checkMetaInfo,
		r.checkMissingGateway, r.checkWrongAccount, r.checkMissingCredential,
	}
}

// firstGateway picks the account's first gateway when none was named.
func (r *run) firstGateway(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	page, err := r.client.ListGateways(ctx, r.creds, r.account, restclient.ListGatewaysParams{PerPage: 1})
	switch {
	case err != nil:
		return "", fmt.Errorf("listing the account's gateways to pick one: %s; name one with -gateway", describe(err))
	case len(page.Gateways) == 0:
		return "", errors.New("the account has no gateway to check")
	}
	return page.Gateways[0].ID, nil
}
