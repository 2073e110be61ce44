package graph_test

import (
	"encoding/base64"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/graph/paging"
)

// withCursorSecret keys the service's cursors with a shared secret, as
// -cursor-secret does.
func withCursorSecret(secret string) envOption {
	return func(c *graph.Config, _ *cfsimOptions) {
		s, err := paging.NewSigner([]byte(secret))
		if err != nil {
			panic(err)
		}
		c.Cursors = s
	}
}

// endCursor runs a connection query selecting pageInfo.endCursor under the
// given root field and returns that cursor.
func (e *env) endCursor(query, field string) string {
	e.t.Helper()
	var r map[string]struct{ PageInfo struct{ EndCursor string } }
	e.mustDo(query, nil, &r)
	if r[field].PageInfo.EndCursor == "" {
		e.t.Fatalf("no endCursor from %s", query)
	}
	return r[field].PageInfo.EndCursor
}

// tamper rewrites the text fields of a cursor the service issued (version,
// snapshot, offset, query hash: the format in graph/paging's package doc)
// and keeps its 16-byte tag, or drops it: what a client editing a cursor
// does.
func tamper(t *testing.T, cursor string, keepTag bool, edit func(f []string)) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) < 17 {
		t.Fatalf("cursor %q: %v", cursor, err)
	}
	text, tag := raw[:len(raw)-16], raw[len(raw)-16:]
	f := strings.Split(string(text), ".")
	if len(f) != 4 {
		t.Fatalf("cursor text %q has %d fields", text, len(f))
	}
	edit(f)
	out := []byte(strings.Join(f, "."))
	if keepTag {
		out = append(out, tag...)
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// TestForgedCursorsAreBadInputWithoutACall: a cursor the service did not
// issue, or one that was altered, is BAD_USER_INPUT telling the client to
// start again, and costs no upstream call — for logs and gateways alike.
func TestForgedCursorsAreBadInputWithoutACall(t *testing.T) {
	e := newEnv(t)
	other := newEnv(t) // another server: its own random key
	logsQ := `{ logs(gatewayId: "prod-chat", first: 2) { pageInfo { endCursor } } }`
	good := e.endCursor(logsQ, "logs")
	staging := e.endCursor(`{ logs(gatewayId: "staging", first: 2) { pageInfo { endCursor } } }`, "logs")
	foreign := other.endCursor(logsQ, "logs")
	gateways := e.endCursor(`{ gateways(first: 1) { pageInfo { endCursor } } }`, "gateways")

	maxInt := strconv.FormatInt(math.MaxInt64, 10)
	offset := func(v string) func(f []string) { return func(f []string) { f[2] = v } }
	forged := map[string]string{
		"offset 2^63-1":             tamper(t, good, true, offset(maxInt)),
		"offset 2^63-1, no tag":     tamper(t, good, false, offset(maxInt)),
		"offset 2^63-1, c1 format":  tamper(t, good, false, func(f []string) { f[0], f[2] = "c1", maxInt }),
		"large offset":              tamper(t, good, true, offset("2305843009213693951")),
		"offset 1000000":            tamper(t, good, true, offset("1000000")),
		"snapshot changed":          tamper(t, good, true, func(f []string) { f[1] = "1700000000000" }),
		"tag stripped":              tamper(t, good, false, func([]string) {}),
		"from another server":       foreign,
		"gateways offset 2^63-1":    tamper(t, gateways, true, offset(maxInt)),
		"gateways from other query": tamper(t, gateways, true, func(f []string) { f[3] = strings.Split(decoded(t, good), ".")[3] }),
	}
	// The query hash of another query: a prod-chat cursor passed off as a
	// staging one.
	stagingHash := strings.Split(decoded(t, staging), ".")[3]
	forged["query hash changed"] = tamper(t, good, true, func(f []string) { f[3] = stagingHash })

	for name, c := range forged {
		t.Run(name, func(t *testing.T) {
			e.t = t
			queries := []string{
				`query($c: String) { logs(gatewayId: "prod-chat", first: 5, after: $c) { totalCount nodes { logId } } }`,
				`query($c: String) { logs(gatewayId: "prod-chat", last: 5, before: $c) { totalCount nodes { logId } } }`,
				`query($c: String) { gateways(first: 5, after: $c) { nodes { gatewayId } } }`,
			}
			if name == "query hash changed" {
				queries = []string{`query($c: String) { logs(gatewayId: "staging", first: 5, after: $c) { nodes { logId } } }`}
			}
			for _, q := range queries {
				e.sim.ResetRequests()
				errs := e.do(q, map[string]any{"c": c}, nil)
				expectCode(t, errs, "BAD_USER_INPUT")
				if !strings.Contains(errs[0].Message, "start the walk again from the first page") {
					t.Errorf("message %q does not tell the client how to go on", errs[0].Message)
				}
				if n := e.sim.RequestCount(); n != 0 {
					t.Fatalf("%d upstream calls for a forged cursor (%s)", n, e.calls())
				}
			}
		})
	}
}

func decoded(t *testing.T, cursor string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw[:len(raw)-16])
}

// TestWalkAcrossReplicasSharingTheSecret: two handlers (replicas, or one
// server before and after a restart) keyed with one secret continue each
// other's walks, forwards and backwards, for logs and gateways.
func TestWalkAcrossReplicasSharingTheSecret(t *testing.T) {
	const secret = "replicas share this secret, 32+ bytes"
	e := newEnv(t, withCursorSecret(secret), func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 30 })
	cfg := e.resolver.Config
	withCursorSecret(secret)(&cfg, nil) // the second replica's own Signer, from the same secret
	second := graph.NewHandler(&graph.Resolver{Upstream: e.resolver.Upstream, Config: cfg})
	var n atomic.Int64
	handlers := []http.Handler{e.handler, second}
	e.gql = client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[n.Add(1)%2].ServeHTTP(w, r)
	}))

	want := ids(e.sim.Logs("prod-chat"))
	for _, backwards := range []bool{false, true} {
		if got := walk(t, e, "", 50, backwards, len(want), func() {}); !slices.Equal(got, want) {
			t.Fatalf("backwards=%v: walk across replicas differs from the list at %d", backwards, firstDiff(got, want))
		}
	}

	var seen []string
	var cursor any
	for {
		var r struct {
			Gateways struct {
				Nodes    []struct{ GatewayID string }
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		e.mustDo(`query($c: String) { gateways(first: 7, after: $c) { nodes { gatewayId } pageInfo { hasNextPage endCursor } } }`, map[string]any{"c": cursor}, &r)
		for _, g := range r.Gateways.Nodes {
			seen = append(seen, g.GatewayID)
		}
		if !r.Gateways.PageInfo.HasNextPage {
			break
		}
		cursor = *r.Gateways.PageInfo.EndCursor
	}
	if total := len(e.sim.Gateways()); len(seen) != total {
		t.Fatalf("gateways walk across replicas saw %d of %d", len(seen), total)
	}
}
