package graph_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/aigw/gqlfacade/graph/model"
)

// gqlError is a GraphQL error as a client sees it.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

// do posts a query and decodes data into out (may be nil); it returns the
// GraphQL errors instead of failing, so tests can assert on them.
func (e *env) do(query string, vars map[string]any, out any, opts ...client.Option) []gqlError {
	e.t.Helper()
	if vars != nil {
		opts = append(opts, func(bd *client.Request) { bd.Variables = vars })
	}
	resp, err := e.gql.RawPost(query, opts...)
	if err != nil {
		e.t.Fatalf("post: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			e.t.Fatalf("errors: %v (%s)", err, resp.Errors)
		}
	}
	if out != nil && resp.Data != nil {
		b, _ := json.Marshal(resp.Data)
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("data: %v (%s)", err, b)
		}
	}
	return errs
}

// mustDo is do for queries that must succeed.
func (e *env) mustDo(query string, vars map[string]any, out any, opts ...client.Option) {
	e.t.Helper()
	if errs := e.do(query, vars, out, opts...); len(errs) > 0 {
		e.t.Fatalf("unexpected errors: %+v", errs)
	}
}

// pinClock fixes the service's clock so that the snapshot bound in upstream
// filters is known to the test. It returns the bound as sent upstream.
func (e *env) pinClock() string {
	now := time.Now().Truncate(time.Millisecond)
	e.resolver.Now = func() time.Time { return now }
	return now.Truncate(e.resolver.Config.SnapshotResolution).UTC().Format(model.DateTimeLayout)
}

// calls renders the upstream calls cfsim saw, one line each, sorted:
// "<gateway> k=v k=v …" with parameters sorted and values unescaped.
func (e *env) calls() []string {
	var out []string
	for _, r := range e.sim.Requests() {
		q, _ := url.ParseQuery(r.RawQuery)
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		line := r.GatewayID
		if r.LogID != "" {
			line += "/" + r.LogID
		}
		for _, k := range keys {
			for _, v := range q[k] {
				line += " " + k + "=" + v
			}
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

// expectCalls compares the upstream calls made with the expected ones
// (order-insensitive), then forgets them for the next step of a test.
func (e *env) expectCalls(want ...string) {
	e.t.Helper()
	got := e.calls()
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		e.t.Errorf("upstream calls:\n got  %d:\n  %s\n want %d:\n  %s", len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
	}
	e.sim.ResetRequests()
}

// snapFilter is the upstream filter that pins a walk to its snapshot.
func snapFilter(snap string) string {
	return fmt.Sprintf(`{"key":"created_at","operator":"lt","value":[%q]}`, snap)
}

func expectCode(t *testing.T, errs []gqlError, code string) {
	t.Helper()
	if len(errs) == 0 {
		t.Fatalf("no error, want %s", code)
	}
	for _, e := range errs {
		if e.code() != code {
			t.Fatalf("error %q has code %q, want %s (all: %+v)", e.Message, e.code(), code, errs)
		}
	}
}
