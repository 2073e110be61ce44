package graph

import (
	"context"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aigw/gqlfacade/graph/globalid"
	"github.com/aigw/gqlfacade/restclient"
)

// Limits bound what one GraphQL request may cost. A facade multiplies: one
// request can become hundreds of upstream calls against a budget of 1200
// per 5 minutes, so an operation is priced before it runs and refused whole
// (QUERY_TOO_EXPENSIVE, no upstream call) when it is over.
type Limits struct {
	MaxUpstreamCalls int // the most upstream calls one operation may need
	MaxDepth         int // the deepest field nesting
	MaxFields        int // the most field selections, aliases and fragments expanded
	MaxValues        int // the most values an answer may hold, lists multiplied
}

// DefaultLimits are generous for real screens and tight for abuse.
//
// 60 calls admit a full page of 50 logs with their detail fields (1 + 50).
// 10,000 values admit 200 logs with 40 fields each, twice over; gqlgen
// spends about 10 µs of CPU on each value, so no answer costs more than
// about 100 ms to write.
func DefaultLimits() Limits {
	return Limits{MaxUpstreamCalls: 60, MaxDepth: 12, MaxFields: 500, MaxValues: 10_000}
}

// costLimit is the gqlgen extension that prices each operation.
type costLimit struct {
	limits Limits
	cfg    Config
	schema *ast.Schema // to price introspection
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit{}

func (costLimit) ExtensionName() string                   { return "UpstreamCostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := costWalker{vars: oc.Variables, cfg: c.cfg, limits: c.limits}
	w.introspection = introspectionCounter{schema: c.schema, vars: oc.Variables}
	cost := w.selections(oc.Operation.SelectionSet, 1, 1)
	cost += gatewayConfigCalls(w.gatewayConfigs)
	switch {
	case w.tooDeep:
		return tooExpensive(fmt.Sprintf("the query nests deeper than %d fields", c.limits.MaxDepth), nil)
	case w.fields > c.limits.MaxFields:
		return tooExpensive(fmt.Sprintf("the query selects more than %d fields (aliases and fragments counted)", c.limits.MaxFields), nil)
	case w.values > float64(c.limits.MaxValues):
		return tooExpensive(fmt.Sprintf("the answer may hold %.0f values (lists multiplied); at most %d are allowed", math.Min(w.values, 1e12), c.limits.MaxValues),
			map[string]any{"values": math.Min(w.values, 1e12), "maxValues": c.limits.MaxValues})
	case w.introspection.over():
		return tooExpensive(fmt.Sprintf("the query's introspection would resolve more than %d values", maxIntrospectionValues), nil)
	case cost > float64(c.limits.MaxUpstreamCalls):
		e := tooExpensive(fmt.Sprintf("the query may need %.0f upstream calls; at most %d are allowed per request", math.Min(cost, 1e12), c.limits.MaxUpstreamCalls),
			map[string]any{"cost": math.Min(cost, 1e12), "maxCost": c.limits.MaxUpstreamCalls})
		w.explainWalk(e, cost)
		w.explainEntities(e, cost)
		return e
	}
	if w.sawIntrospection {
		holdToDeadline(oc)
	}
	return nil
}

func tooExpensive(msg string, ext map[string]any) *gqlerror.Error {
	e := codedError(CodeQueryTooExpensive, msg)
	for k, v := range ext {
		e.Extensions[k] = v
	}
	return e
}

// costWalker prices a selection set: the upper bound of the upstream calls
// its fields can make, lists multiplying what is nested inside them.
type costWalker struct {
	vars    map[string]any
	cfg     Config
	limits  Limits
	fields  int
	values  float64 // values the answer may hold: each field once per object it is reached on
	tooDeep bool
	page    float64 // the page size of the connection being walked

	gatewaysPrimed bool           // walking gateways that Query.gateways listed
	walk           *walkPrice     // the costliest walk across gateways, if any
	entities       *entitiesPrice // the costliest entity fetch, if any
	gatewayConfigs float64        // gateways whose configuration is selected, at most

	introspection    introspectionCounter
	introspecting    bool // walking below __schema or __type
	sawIntrospection bool
}

func (w *costWalker) over() bool { return w.tooDeep || w.fields > w.limits.MaxFields }

// selections returns the cost of a selection set reached mult times.
func (w *costWalker) selections(set ast.SelectionSet, depth int, mult float64) float64 {
	total := 0.0
	groups := map[string]bool{}
	for _, sel := range set {
		if w.over() {
			return total
		}
		switch s := sel.(type) {
		case *ast.Field:
			if g := callGroup(s); g != "" {
				// Fields fetched together cost one call per object; a
				// gateway listed by Query.gateways has its configuration.
				w.fields++
				w.values += mult
				if len(s.SelectionSet) > 0 {
					// What a configuration object selects counts toward
					// the field and value limits; it costs no call.
					total += w.selections(s.SelectionSet, depth+1, mult*listBound(s))
				}
				if g == "gatewayConfig" && w.gatewaysPrimed {
					continue
				}
				if !groups[g] && g == "gatewayConfig" {
					groups[g] = true
					w.gatewayConfigs += mult
					continue
				}
				if !groups[g] {
					groups[g] = true
					total += mult
				}
				continue
			}
			total += w.field(s, depth, mult)
		case *ast.InlineFragment:
			total += w.selections(s.SelectionSet, depth, mult)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total += w.selections(s.Definition.SelectionSet, depth, mult)
			}
		}
	}
	return total
}

func (w *costWalker) field(f *ast.Field, depth int, mult float64) float64 {
	w.fields++
	if w.introspecting || f.Name == "__schema" || f.Name == "__type" {
		return w.introspectionField(f, depth) // its values are counted exactly
	}
	w.values += mult
	if depth > w.limits.MaxDepth {
		w.tooDeep = true
		return 0
	}
	parent := ""
	if f.ObjectDefinition != nil {
		parent = f.ObjectDefinition.Name
	}
	args := f.ArgumentMap(w.vars)
	own, childMult := 0.0, 1.0
	saved := w.gatewaysPrimed
	defer func() { w.gatewaysPrimed = saved }()
	switch name := parent + "." + f.Name; name {
	case "AIGatewayConnection.nodes", "AIGatewayConnection.edges", "AIGatewayEdge.node":
		w.gatewaysPrimed = true
		if name != "AIGatewayEdge.node" {
			childMult = w.page
		}
	default:
		w.gatewaysPrimed = false
	}
	switch parent + "." + f.Name {
	case "Query.logs", "AIGateway.logs":
		own = w.connectionCalls(args)
		saved := w.page
		w.page = float64(w.requestedSize(args))
		defer func() { w.page = saved }()
	case "AIGatewayAccount.logs":
		perGateway, gateways, listing := w.walkCalls(args)
		own = perGateway*gateways + listing
		w.noteWalk(perGateway*mult, gateways)
		saved := w.page
		w.page = float64(w.requestedSize(args))
		defer func() { w.page = saved }()
	case "Query.gateways", "AIGatewayAccount.gateways":
		own = w.gatewaysCalls(args)
		saved := w.page
		w.page = float64(gatewayPageSize(args))
		defer func() { w.page = saved }()
	case "AIGatewayLogConnection.nodes", "AIGatewayLogConnection.edges":
		childMult = w.page
	case "AIGatewaySpendLimits.rules":
		childMult = listBound(f)
	case "Mutation.updateLog":
		own = 2 // the PATCH, and reading the log back
	case "Mutation.deleteLogs":
		own = 1 // the DELETE; its answer is only success
	case "Subscription.logAdded":
		// Its poller's calls are shared and paced by the rate budget, not
		// priced per subscriber; finding a log that `after` names costs
		// two. What it selects is priced per event, as a query would be.
		if args["after"] != nil {
			own = 2
		}
	case "Query.node", "AIGateway.log":
		own = 1
	case "Query.nodes":
		own, childMult = nodesCalls(args["ids"])
	case "Query._entities":
		return w.entitiesCalls(f, args, depth, mult)
	}
	return own*mult + w.selections(f.SelectionSet, depth+1, mult*childMult)
}

// introspectionField counts an introspection field and what it selects
// toward the field limit, and prices the root ones by the values they
// produce. Introspection is answered from the schema, never upstream, and
// its standard query nests deeper than any data query may, so depth is
// left to gqlparser's own introspection depth rule.
func (w *costWalker) introspectionField(f *ast.Field, depth int) float64 {
	if !w.introspecting {
		w.sawIntrospection = true
		w.introspection.root(f)
		w.introspecting = true
		defer func() { w.introspecting = false }()
	}
	w.selections(f.SelectionSet, depth+1, 0)
	return 0
}

// gatewayConfigCalls bounds the calls that fetch the configuration of k
// gateways: the loader answers one gateway with one GET, and several of
// one account with one List Gateways call plus a GET for each that the
// list did not hold (an account with over 100 gateways) — so at most one
// list call per two gateways on top of one GET each.
func gatewayConfigCalls(k float64) float64 {
	if k < 2 {
		return k
	}
	return k + math.Floor(k/2)
}

// callGroup names the upstream call a lazily fetched field needs: all the
// detail fields of a log come from one GET, all configuration fields of a
// gateway from one lookup.
func callGroup(f *ast.Field) string {
	if f.ObjectDefinition == nil {
		return ""
	}
	switch f.ObjectDefinition.Name + "." + f.Name {
	case "AIGatewayLog.requestHead", "AIGatewayLog.requestHeadComplete", "AIGatewayLog.responseHead", "AIGatewayLog.responseHeadComplete", "AIGatewayLog.requestSize", "AIGatewayLog.responseSize":
		return "logDetail"
	case "AIGatewayLog.requestBody":
		return "requestBody"
	case "AIGatewayLog.responseBody":
		return "responseBody"
	}
	if f.ObjectDefinition.Name == "AIGateway" && !gatewayOwnFields[f.Name] {
		return "gatewayConfig"
	}
	return ""
}

// gatewayOwnFields are the fields of a Gateway that its ids answer, or that
// are priced on their own (its connections). Every other field is part of
// its configuration and costs the one configuration lookup, so that a
// setting added to the schema is priced without being listed here.
var gatewayOwnFields = map[string]bool{
	"id": true, "gatewayId": true, "accountId": true, "logs": true, "log": true, "__typename": true,
}

// configListBound is the most items a list inside a gateway's
// configuration holds, per the spec's maxItems, for counting the values of
// an answer; a list the spec does not bound counts once.
var configListBound = map[string]float64{"AIGateway.otel": 5, "AIGatewaySpendLimits.rules": 20}

func listBound(f *ast.Field) float64 {
	if b, ok := configListBound[f.ObjectDefinition.Name+"."+f.Name]; ok {
		return b
	}
	return 1
}

// gatewayPageSize is Query.gateways' first or last, clamped like
// requestedSize.
func gatewayPageSize(args map[string]any) int {
	n := gatewayLimits.DefaultSize
	if v := args["first"]; v != nil {
		n = intArg(v, restclient.MaxGatewaysPerPage)
	} else if v := args["last"]; v != nil {
		n = intArg(v, restclient.MaxGatewaysPerPage)
	}
	return max(0, min(n, restclient.MaxGatewaysPerPage))
}

func (w *costWalker) gatewaysCalls(args map[string]any) float64 {
	return windowCalls(gatewayPageSize(args), restclient.MaxGatewaysPerPage, args)
}

// requestedSize is the connection's first or last, clamped for pricing
// (out-of-range values are refused by the resolver anyway).
func (w *costWalker) requestedSize(args map[string]any) int {
	n := w.cfg.DefaultPageSize
	if v := args["first"]; v != nil {
		n = intArg(v, w.cfg.MaxPageSize)
	} else if v := args["last"]; v != nil {
		n = intArg(v, w.cfg.MaxPageSize)
	}
	return max(0, min(n, w.cfg.MaxPageSize))
}

// connectionCalls bounds the calls of one logs connection.
func (w *costWalker) connectionCalls(args map[string]any) float64 {
	return windowCalls(w.requestedSize(args), restclient.MaxPerPage, args)
}

// windowCalls bounds the calls of a connection of n items over pages of at
// most perPage: the pages of its window (one more when the window may be
// unaligned) and, for `last` without `before`, the probe that finds the end.
func windowCalls(n, perPage int, args map[string]any) float64 {
	calls := math.Ceil(float64(n) / float64(perPage))
	hasLast := args["last"] != nil
	if args["after"] != nil || hasLast {
		calls++
	}
	if hasLast && args["before"] == nil {
		calls++
	}
	return math.Max(calls, 1)
}

// nodesCalls prices `nodes(ids:)` exactly: ⌈k/50⌉ calls per gateway for k
// log ids; gateways cost nothing. Everything below is reached once per id.
func nodesCalls(v any) (calls, mult float64) {
	ids := asList(v)
	perGateway := map[[2]string]int{}
	for _, raw := range ids {
		s, _ := raw.(string)
		if id, err := globalid.Decode(s); err == nil && id.Kind == globalid.KindLog {
			perGateway[[2]string{id.AccountID, id.GatewayID}]++
		}
	}
	for _, k := range perGateway {
		calls += math.Ceil(float64(k) / restclient.MaxPerPage)
	}
	return calls, float64(len(ids))
}

// asList reads a list argument as execution will: a single value stands
// for a list of one.
func asList(v any) []any {
	switch l := v.(type) {
	case nil:
		return nil
	case []any:
		return l
	}
	return []any{v}
}

// intArg reads an Int argument with gqlgen's own coercion, the one its
// resolvers receive, so the price is computed from the value that runs. A
// value it cannot read fails at execution; it is priced as unknown.
func intArg(v any, unknown int) int {
	n, err := graphql.UnmarshalInt(v)
	if err != nil {
		return unknown
	}
	return n
}
