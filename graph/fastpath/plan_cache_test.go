package fastpath

import (
	"runtime"
	"testing"
	"weak"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/generated"
)

func newWrapped(t *testing.T) *wrapped {
	t.Helper()
	w, ok := Wrap(generated.NewExecutableSchema(generated.Config{})).(*wrapped)
	if !ok {
		t.Fatal("Wrap left the generated schema unwrapped")
	}
	return w
}

func operation(t *testing.T, w *wrapped, query string, vars map[string]any) *graphql.OperationContext {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(w.Schema(), query)
	if errs != nil {
		t.Fatal(errs)
	}
	return &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: vars}
}

// The subset: a logs connection with a log's plain fields compiles; a field
// that needs a resolver of its own, @defer or another operation does not.
func TestWhatCompiles(t *testing.T) {
	w := newWrapped(t)
	for q, want := range map[string]bool{
		`{ logs(gatewayId: "g") { nodes { logId cost } pageInfo { endCursor } } }`:     true,
		`query($s: Boolean!) { a: logs(gatewayId: "g") @skip(if: $s) { totalCount } }`: true,
		`{ logs(gatewayId: "g") { nodes { gateway { gatewayId } } } }`:                 false,
		`{ logs(gatewayId: "g") { nodes { requestBody } } }`:                           false,
		`{ gateway(gatewayId: "g") { logs { totalCount } } }`:                          false,
		`{ logs(gatewayId: "g") { totalCount } gateways { totalCount } }`:              false,
		`mutation { updateLog(id: "x", score: 1) { logId } }`:                          false,
	} {
		oc := operation(t, w, q, map[string]any{"s": false})
		if got := w.planFor(oc) != nil; got != want {
			t.Errorf("%s: compiled %v, want %v", q, got, want)
		}
	}
}

// A cached plan keeps no document alive: once gqlgen's query cache (here:
// the test) lets a document go, the collector takes it.
func TestCachedPlansKeepNoDocument(t *testing.T) {
	w := newWrapped(t)
	oc := operation(t, w, `query($s: Boolean!) { logs(gatewayId: "g") { nodes @include(if: $s) { logId } } }`, map[string]any{"s": true})
	if w.planFor(oc) == nil {
		t.Fatal("not compiled")
	}
	op, field := weak.Make(oc.Operation), weak.Make(oc.Operation.SelectionSet[0].(*ast.Field))
	oc = nil
	runtime.GC()
	runtime.GC()
	if op.Value() != nil || field.Value() != nil {
		t.Error("the operation is still in memory: a cached plan holds it")
	}
	if w.ops.Len() != 1 {
		t.Errorf("%d operations cached, want 1", w.ops.Len())
	}
}
