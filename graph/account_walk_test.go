package graph_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// walkGateways are the gateways of newWalkEnv and how many logs each holds
// (gw-001 has none).
var walkGateways = map[string]int{"prod-chat": 9, "staging": 49, "batch-jobs": 130, "eval": 259, "gw-001": 0}

// newWalkEnv is an account whose gateways differ in size, one of them
// empty, with both clocks pinned to a test clock: the walks' snapshots and
// the new logs' times are the test's to set. Logs arrive in small bursts a
// millisecond apart, several gateways in the same millisecond, so logs of
// different gateways tie on created_at (and, like all logs, on the other
// order keys).
func newWalkEnv(t *testing.T) (*env, *testenv.Clock) {
	t.Helper()
	clock := testenv.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	e := newEnv(t, func(c *graphConfig, o *cfsimOptions) {
		c.SnapshotResolution = time.Millisecond
		o.Now = clock.Now
		o.Gateways = []string{"prod-chat", "staging", "batch-jobs", "eval"}
		o.LogsPerGateway = 9
		o.ExtraGateways = 1
	})
	e.resolver.Now = clock.Now
	for added := map[string]int{}; ; clock.Advance(time.Millisecond) {
		more := false
		for _, gw := range slices.Sorted(maps.Keys(walkGateways)) { // one order: Append draws from one generator
			want := walkGateways[gw]
			if n := min(3, want-walkGateways["prod-chat"]-added[gw]); gw != "gw-001" && n > 0 {
				e.sim.Append(gw, n)
				added[gw] += n
				more = true
			}
		}
		if !more {
			break
		}
	}
	clock.Advance(time.Millisecond) // every log is now before a new walk's snapshot
	for gw, n := range walkGateways {
		if got := len(e.sim.Logs(gw)); got != n {
			t.Fatalf("%s holds %d logs, want %d", gw, got, n)
		}
	}
	return e, clock
}

// simOrderKeys compare two cfsim logs by an order_by key, ascending.
var simOrderKeys = map[string]func(a, b *cfsim.Log) int{
	"CREATED_AT": func(a, b *cfsim.Log) int { return a.CreatedAt.Compare(b.CreatedAt) },
	"PROVIDER":   func(a, b *cfsim.Log) int { return strings.Compare(a.Provider, b.Provider) },
	"MODEL":      func(a, b *cfsim.Log) int { return strings.Compare(a.Model, b.Model) },
	"MODEL_TYPE": func(a, b *cfsim.Log) int {
		switch {
		case a.ModelType == nil || b.ModelType == nil:
			return cmp.Compare(boolInt(a.ModelType != nil), boolInt(b.ModelType != nil))
		}
		return strings.Compare(*a.ModelType, *b.ModelType)
	},
	"SUCCESS": func(a, b *cfsim.Log) int { return cmp.Compare(boolInt(a.Success), boolInt(b.Success)) },
	"CACHED":  func(a, b *cfsim.Log) int { return cmp.Compare(boolInt(a.Cached), boolInt(b.Cached)) },
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// walkFilter is a filter as a GraphQL literal and as a predicate on a log.
type walkFilter struct {
	name, literal string
	keep          func(l *cfsim.Log) bool
}

var walkFilters = []walkFilter{
	{"none", "", func(*cfsim.Log) bool { return true }},
	{"success", `{success: {eq: true}}`, func(l *cfsim.Log) bool { return l.Success }},
	{"two providers", `{provider: {in: ["openai", "anthropic"]}}`, func(l *cfsim.Log) bool { return l.Provider == "openai" || l.Provider == "anthropic" }},
	{"not cached, duration over 800", `{cached: {eq: false}, duration: {gt: 800}}`, func(l *cfsim.Log) bool { return !l.Cached && l.Duration > 800 }},
}

// mergedOracle is the walk's list by brute force: every log of every
// gateway that the filter keeps and that is older than the snapshot, each
// gateway in cfsim's own order (docs/upstream.md: the key, then created_at,
// then id, all in the direction), then all of them sorted in the walk's
// total order: the key, the gateway id, the position in the gateway, the
// first two in the direction. Entries are "gateway/logId".
func mergedOracle(e *env, gateways []string, field string, desc bool, keep func(*cfsim.Log) bool, snapshot time.Time) []string {
	sign := 1
	if desc {
		sign = -1
	}
	key := simOrderKeys[field]
	type item struct {
		gw  string
		pos int
		log cfsim.Log
	}
	var all []item
	for _, gw := range gateways {
		var own []cfsim.Log
		for _, l := range e.sim.Logs(gw) {
			if keep(&l) && l.CreatedAt.Before(snapshot) {
				own = append(own, l)
			}
		}
		slices.SortFunc(own, func(a, b cfsim.Log) int {
			return sign * cmp.Or(key(&a, &b), a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
		})
		for i, l := range own {
			all = append(all, item{gw, i, l})
		}
	}
	slices.SortFunc(all, func(a, b item) int {
		return cmp.Or(sign*key(&a.log, &b.log), sign*strings.Compare(a.gw, b.gw), cmp.Compare(a.pos, b.pos))
	})
	out := make([]string, len(all))
	for i, it := range all {
		out[i] = it.gw + "/" + it.log.ID
	}
	return out
}

type accountWalkPage struct {
	Account struct {
		Logs struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct {
					LogID   string
					Gateway struct{ GatewayID string }
				}
			}
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
		}
	}
}

// gatewayIDsArg is the gatewayIds argument for gateways (none: every
// gateway of the account).
func gatewayIDsArg(gateways []string) string {
	if gateways == nil {
		return ""
	}
	quoted := make([]string, len(gateways))
	for i, g := range gateways {
		quoted[i] = fmt.Sprintf("%q", g)
	}
	return "gatewayIds: [" + strings.Join(quoted, ", ") + "], "
}

// accountWalk pages through a walk across gateways to its end, forwards or
// backwards, checking every page's totalCount and pageInfo, and returns the
// logs as "gateway/logId" in list order. between runs after every page.
func accountWalk(t *testing.T, e *env, args string, size int, backwards bool, wantTotal int, between func()) []string {
	t.Helper()
	dir, cursorArg := "first", "after"
	if backwards {
		dir, cursorArg = "last", "before"
	}
	q := fmt.Sprintf(`query($c: String) { account { logs(%s%s: %d, %s: $c) {
		totalCount edges { cursor node { logId gateway { gatewayId } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
		args, dir, size, cursorArg)
	var out []string
	var cursor any
	for step := 0; ; step++ {
		if step > wantTotal+2 {
			t.Fatalf("the walk does not end")
		}
		var p accountWalkPage
		e.mustDo(q, map[string]any{"c": cursor}, &p)
		c := p.Account.Logs
		got := make([]string, len(c.Edges))
		for i, edge := range c.Edges {
			got[i] = edge.Node.Gateway.GatewayID + "/" + edge.Node.LogID
		}
		if c.TotalCount != wantTotal {
			t.Fatalf("step %d: totalCount %d, want %d", step, c.TotalCount, wantTotal)
		}
		seen := len(out) + len(got)
		more := seen < wantTotal
		if len(got) > 0 && (*c.PageInfo.StartCursor != c.Edges[0].Cursor || *c.PageInfo.EndCursor != c.Edges[len(got)-1].Cursor) {
			t.Fatalf("step %d: pageInfo's cursors are not the edges'", step)
		}
		if backwards {
			out = append(got, out...)
			if c.PageInfo.HasPreviousPage != more || c.PageInfo.HasNextPage != (step > 0) {
				t.Fatalf("step %d: pageInfo %+v after %d of %d", step, c.PageInfo, seen, wantTotal)
			}
		} else {
			out = append(out, got...)
			if c.PageInfo.HasNextPage != more || c.PageInfo.HasPreviousPage != (step > 0) {
				t.Fatalf("step %d: pageInfo %+v after %d of %d", step, c.PageInfo, seen, wantTotal)
			}
		}
		if !more {
			return out
		}
		if len(got) != size {
			t.Fatalf("step %d: %d logs in a page of %d before the end", step, len(got), size)
		}
		if backwards {
			cursor = *c.PageInfo.StartCursor
		} else {
			cursor = *c.PageInfo.EndCursor
		}
		between()
	}
}

// TestAccountWalkMatchesTheOracle walks many combinations of gateways (one
// to all five, of different sizes, one empty; named or left to the
// account), orders and directions, filters, page sizes, forwards and
// backwards: each walk returns exactly the brute-force merge.
func TestAccountWalkMatchesTheOracle(t *testing.T) {
	e, clock := newWalkEnv(t)
	sets := [][]string{
		{"batch-jobs"},
		{"gw-001"},
		{"staging", "prod-chat"},
		{"eval", "gw-001", "staging"},
		nil, // every gateway of the account: all five
	}
	fields := []string{"CREATED_AT", "PROVIDER", "MODEL", "MODEL_TYPE", "SUCCESS", "CACHED"}
	sizes := []int{1, 7, 50, 120}
	n := 0
	for si, set := range sets {
		for zi, size := range sizes {
			for _, backwards := range []bool{false, true} {
				n++
				field := fields[(si+zi*2+n)%len(fields)]
				desc := (si+zi+n)%2 == 0
				filter := walkFilters[(si*3+zi+n)%len(walkFilters)]
				if size == 1 && filter.literal == "" {
					filter = walkFilters[1] // a walk of one log a page over every log is long; keep it short
				}
				gateways := set
				if gateways == nil {
					gateways = e.sim.Gateways()
				}
				dirName := map[bool]string{false: "ASC", true: "DESC"}[desc]
				name := fmt.Sprintf("%v/%s %s/%s/size %d/backwards %v", set, field, dirName, filter.name, size, backwards)
				t.Run(name, func(t *testing.T) {
					e.t = t
					want := mergedOracle(e, gateways, field, desc, filter.keep, clock.Now())
					args := fmt.Sprintf("%sorderBy: {field: %s, direction: %s}, ", gatewayIDsArg(set), field, dirName)
					if filter.literal != "" {
						args += "filter: " + filter.literal + ", "
					}
					got := accountWalk(t, e, args, size, backwards, len(want), func() {})
					if !slices.Equal(got, want) {
						t.Fatalf("the walk returned %d logs, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
					}
				})
			}
		}
	}
}

// TestAccountWalkWhileLogsArrive walks forwards and backwards while logs
// arrive on every gateway after every page (the empty one included): the
// walk returns exactly the logs that existed when it began, each once, in
// order.
func TestAccountWalkWhileLogsArrive(t *testing.T) {
	for _, size := range []int{7, 50, 120} {
		for _, backwards := range []bool{false, true} {
			t.Run(fmt.Sprintf("size %d backwards %v", size, backwards), func(t *testing.T) {
				e, clock := newWalkEnv(t)
				gateways := e.sim.Gateways()
				want := mergedOracle(e, gateways, "CREATED_AT", true, walkFilters[0].keep, clock.Now())
				before := 0
				for _, gw := range gateways {
					before += len(e.sim.Logs(gw))
				}
				got := accountWalk(t, e, "", size, backwards, len(want), func() {
					clock.Advance(time.Millisecond)
					for _, gw := range gateways {
						e.sim.Append(gw, 2)
					}
				})
				after := 0
				for _, gw := range gateways {
					after += len(e.sim.Logs(gw))
				}
				if after <= before {
					t.Fatal("no log arrived during the walk: the test proves nothing")
				}
				if !slices.Equal(got, want) {
					t.Fatalf("the walk returned %d logs, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
				}
			})
		}
	}
}
