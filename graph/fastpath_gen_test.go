package graph_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/aigw/gqlfacade/graph/generated"
)

// The generator of the differential test: random operations over the logs
// connection, as a client could write them — aliases, repeated fields that
// merge, fragments and inline fragments (with and without a type
// condition, on the types and on their interfaces), @include/@skip with
// literals and variables, __typename at every level, arguments inline and
// as variables — with at most one root field that fails (an unknown
// gateway, an upstream that answers 503, an argument out of bounds), so
// that the errors of an answer come in one order. Now and then a field the
// fast path does not serve is selected, so that falling back is generated
// too.

// schemaNames are the type names the generator writes in type conditions,
// read from the schema as the fast path reads them.
type schemaNames struct {
	query, conn, edge, log, node, page, summary string
}

func namesFromSchema() schemaNames {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	field := func(typ, f string) string { return s.Types[typ].Fields.ForName(f).Type.Name() }
	n := schemaNames{query: s.Query.Name}
	n.conn = field(n.query, "logs")
	n.edge, n.log = field(n.conn, "edges"), field(n.conn, "nodes")
	n.page, n.summary = field(n.conn, "pageInfo"), field(n.conn, "summary")
	n.node = s.Types[n.log].Interfaces[0]
	return n
}

// genOp is one generated operation and the variable values it is run with.
type genOp struct {
	doc     string
	varSets []map[string]any
}

type opGen struct {
	r       *rand.Rand
	n       schemaNames
	frags   []string
	vars    map[string]string // declared variables: name → "type = default"
	values  map[string]any    // values of the non-directive variables
	failing bool              // a failing root field has been written
	alias   int
}

var (
	plainLogFields = []string{"id", "logId", "createdAt", "provider", "model", "modelType", "path", "success", "cached",
		"statusCode", "duration", "tokensIn", "tokensOut", "cost", "customCost", "metadata", "requestContentType",
		"responseContentType", "requestType", "step"}
	pageFields    = []string{"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
	summaryFields = []string{"minCost", "maxCost", "minDuration", "maxDuration", "minTokensIn", "maxTokensIn",
		"minTokensOut", "maxTokensOut", "minTotalTokens", "maxTotalTokens"}
)

// generate writes operation seed.
func generate(seed uint64, n schemaNames) genOp {
	g := &opGen{r: rand.New(rand.NewPCG(seed, 0x6469_6666)), n: n, vars: map[string]string{}, values: map[string]any{}}
	var body strings.Builder
	roots := 1 + g.r.IntN(3)
	for i := range roots {
		body.WriteString(g.rootField(i))
		body.WriteByte(' ')
	}
	var doc strings.Builder
	doc.WriteString("query Op")
	if len(g.vars) > 0 {
		names := make([]string, 0, len(g.vars))
		for v := range g.vars {
			names = append(names, v)
		}
		slices.Sort(names)
		doc.WriteByte('(')
		for i, v := range names {
			if i > 0 {
				doc.WriteString(", ")
			}
			fmt.Fprintf(&doc, "$%s: %s", v, g.vars[v])
		}
		doc.WriteByte(')')
	}
	doc.WriteString(" { " + body.String() + "}")
	for _, f := range g.frags {
		doc.WriteString("\n" + f)
	}
	op := genOp{doc: doc.String()}
	// Two runs with other values of the directive variables: one compiled
	// plan each, the second perhaps from the cache.
	for range 2 {
		set := map[string]any{}
		for k, v := range g.values {
			set[k] = v
		}
		for v, typ := range g.vars {
			if strings.HasPrefix(typ, "Boolean!") && g.r.IntN(4) > 0 { // else its default
				set[v] = g.r.IntN(2) == 0
			}
		}
		op.varSets = append(op.varSets, set)
	}
	return op
}

func (g *opGen) chance(pct int) bool { return g.r.IntN(100) < pct }

func (g *opGen) nextAlias() string { g.alias++; return fmt.Sprintf("a%d", g.alias) }

// directive is none, mostly, or an @include/@skip on a literal or a variable.
func (g *opGen) directive() string {
	if !g.chance(15) {
		return ""
	}
	name := []string{"include", "skip"}[g.r.IntN(2)]
	if g.chance(30) {
		return fmt.Sprintf(" @%s(if: %v)", name, g.chance(50))
	}
	v := fmt.Sprintf("%s%d", name[:3], g.r.IntN(3))
	g.vars[v] = fmt.Sprintf("Boolean! = %v", g.chance(50))
	return fmt.Sprintf(" @%s(if: $%s)", name, v)
}

// wrap puts a selection in an inline fragment (with or without a type
// condition), in a named fragment, or leaves it as it is.
func (g *opGen) wrap(sel, typ string, interfaces ...string) string {
	on := typ
	if len(interfaces) > 0 && g.chance(30) {
		on = interfaces[g.r.IntN(len(interfaces))]
	}
	switch p := g.r.IntN(100); {
	case p < 12:
		return fmt.Sprintf("... on %s%s { %s }", on, g.directive(), sel)
	case p < 18:
		return fmt.Sprintf("...%s { %s }", g.directive(), sel)
	case p < 28:
		name := fmt.Sprintf("F%d", len(g.frags))
		g.frags = append(g.frags, fmt.Sprintf("fragment %s on %s { %s }", name, on, sel))
		return "..." + name + g.directive()
	}
	return sel
}

func (g *opGen) rootField(i int) string {
	if g.chance(8) {
		return g.wrap(g.maybeAlias("__typename", i > 0)+g.directive(), g.n.query)
	}
	args := g.logsArgs()
	field := fmt.Sprintf("%s(%s)%s { %s }", g.maybeAlias("logs", i > 0), args, g.directive(), g.connection())
	return g.wrap(field, g.n.query)
}

func (g *opGen) maybeAlias(field string, must bool) string {
	if must || g.chance(30) {
		return g.nextAlias() + ": " + field
	}
	return field
}

func (g *opGen) logsArgs() string {
	gw := []string{"prod-chat", "staging"}[g.r.IntN(2)]
	var args []string
	fail := !g.failing && g.chance(15)
	if fail {
		g.failing = true
		switch g.r.IntN(4) {
		case 0:
			gw = "no-such-gateway" // NOT_FOUND
		case 1:
			gw = "batch-jobs" // its upstream answers 503: UPSTREAM_ERROR
		case 2:
			args = append(args, fmt.Sprintf("first: %d", []int{-1, 201, 100000}[g.r.IntN(3)])) // BAD_USER_INPUT
		default:
			args = append(args, `after: "not-a-cursor"`) // BAD_USER_INPUT
		}
	}
	// $gw may be shared by root fields: only a gateway that answers goes
	// there, so that at most one field fails.
	if _, taken := g.values["gw"]; !taken && !fail && g.chance(25) {
		g.vars["gw"] = "ID!"
		g.values["gw"] = gw
		args = append(args, "gatewayId: $gw")
	} else if _, taken := g.values["gw"]; taken && !fail && g.chance(50) {
		args = append(args, "gatewayId: $gw")
	} else {
		args = append(args, fmt.Sprintf("gatewayId: %q", gw))
	}
	if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "first") }) {
		switch p := g.r.IntN(100); {
		case p < 60:
			first := []int{0, 1, 2, 3, 7, 20, 50, 51, 120, 200}[g.r.IntN(10)]
			if g.chance(20) {
				g.vars["first"] = "Int"
				g.values["first"] = first
				args = append(args, "first: $first")
			} else {
				args = append(args, fmt.Sprintf("first: %d", first))
			}
		case p < 75:
			args = append(args, fmt.Sprintf("last: %d", []int{1, 5, 50}[g.r.IntN(3)]))
		}
	}
	if g.chance(15) {
		args = append(args, []string{`orderBy: {field: PROVIDER, direction: ASC}`, `orderBy: {field: MODEL}`, `orderBy: {direction: ASC}`}[g.r.IntN(3)])
	}
	if g.chance(10) {
		args = append(args, []string{`filter: {success: {eq: false}}`, `filter: {provider: {in: ["openai", "anthropic"]}}`, `filter: {cost: {gt: 0.001}}`}[g.r.IntN(3)])
	}
	return strings.Join(args, ", ")
}

// connection is a selection on the logs connection.
func (g *opGen) connection() string {
	var parts []string
	for range 1 + g.r.IntN(4) {
		var f string
		switch g.r.IntN(6) {
		case 0:
			f = g.maybeAlias("edges", false) + g.directive() + " { " + g.edge() + " }"
		case 1, 2:
			f = g.maybeAlias("nodes", false) + g.directive() + " { " + g.log() + " }"
		case 3:
			f = g.maybeAlias("pageInfo", false) + g.directive() + " { " + g.leaves(pageFields, g.n.page) + " }"
		case 4:
			f = g.maybeAlias("totalCount", false) + g.directive()
		default:
			f = g.maybeAlias("summary", false) + g.directive() + " { " + g.leaves(summaryFields, g.n.summary) + " }"
		}
		parts = append(parts, g.wrap(f, g.n.conn))
	}
	if g.chance(10) {
		parts = append(parts, "__typename")
	}
	return strings.Join(parts, " ")
}

func (g *opGen) edge() string {
	var parts []string
	if g.chance(60) {
		parts = append(parts, g.maybeAlias("cursor", false))
	}
	if len(parts) == 0 || g.chance(80) {
		parts = append(parts, g.wrap(g.maybeAlias("node", false)+" { "+g.log()+" }", g.n.edge))
	}
	if g.chance(10) {
		parts = append(parts, "__typename")
	}
	return strings.Join(parts, " ")
}

// log is a selection on a log: plain fields, perhaps through the Node
// interface, and now and then one the fast path leaves to gqlgen.
func (g *opGen) log() string {
	var parts []string
	for range 1 + g.r.IntN(6) {
		f := plainLogFields[g.r.IntN(len(plainLogFields))]
		var on []string
		if f == "id" { // the interface's one field
			on = []string{g.n.node}
		}
		parts = append(parts, g.wrap(g.maybeAlias(f, false)+g.directive(), g.n.log, on...))
	}
	if g.chance(15) {
		parts = append(parts, g.wrap("id", g.n.node))
	}
	if g.chance(10) {
		parts = append(parts, "__typename")
	}
	if g.chance(4) {
		parts = append(parts, "gateway { gatewayId }") // not served by the fast path
	}
	return strings.Join(parts, " ")
}

func (g *opGen) leaves(pool []string, typ string) string {
	var parts []string
	for range 1 + g.r.IntN(4) {
		parts = append(parts, g.wrap(g.maybeAlias(pool[g.r.IntN(len(pool))], false)+g.directive(), typ))
	}
	if g.chance(10) {
		parts = append(parts, "__typename")
	}
	return strings.Join(parts, " ")
}
