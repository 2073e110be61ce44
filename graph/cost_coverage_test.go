package graph_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/generated"
	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestEveryResolverFieldIsPriced: every field gqlgen answers through a
// resolver (the generated resolver interfaces list them: the root fields,
// and the fields gqlgen.yml marks `resolver: true`) is priced at least at
// the upstream calls it makes. A lazily fetched field that the cost walker
// does not know (no call group, no case of its own) is priced 0 and fails
// here by name, instead of letting every object of a list make a call that
// the budget never counted.
//
// Each field is selected alone, with sample arguments, below the cheapest
// path to an object of its type; the calls that operation makes must not
// exceed its price (priceOf).
func TestEveryResolverFieldIsPriced(t *testing.T) {
	e := newEnv(t)
	acct := e.sim.AccountID()
	logID := e.sim.Logs("prod-chat")[0].ID
	id := globalid.Log(acct, "prod-chat", logID)
	args := map[string]string{
		"gatewayId":       `"prod-chat"`,
		"logId":           fmt.Sprintf("%q", logID),
		"id":              fmt.Sprintf("%q", id),
		"ids":             fmt.Sprintf("[%q]", id),
		"representations": fmt.Sprintf(`[{__typename: "AIGateway", accountId: %q, gatewayId: "prod-chat"}]`, acct),
		"feedback":        "1",
		"all":             "true", // deleteLogs: the oldest log of prod-chat
		"limit":           "1",
	}
	// The cheapest way to reach an object of each type that has resolvers.
	paths := map[string]string{
		"Query":            `query { %s }`,
		"Mutation":         `mutation { %s }`,
		"AIGateway":        `{ gateway(gatewayId: "prod-chat") { %s } }`,
		"AIGatewayAccount": `{ account { %s } }`,
		"AIGatewayLog":     fmt.Sprintf(`{ gateway(gatewayId: "prod-chat") { log(logId: %q) { %%s } } }`, logID),
	}

	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	fields := resolverFields(t, schema)
	if len(fields) < 20 {
		t.Fatalf("found only %d resolver fields: %v", len(fields), fields)
	}
	for _, f := range fields {
		if f.parent == "Subscription" {
			continue // runs over a stream only: TestLogAddedIsPriced
		}
		path, ok := paths[f.parent]
		if !ok {
			t.Errorf("%s.%s: no path to an object of type %s in this test; add one", f.parent, f.def.Name, f.parent)
			continue
		}
		sel, err := selection(f.def, schema, args)
		if err != nil {
			t.Errorf("%s.%s: %v", f.parent, f.def.Name, err)
			continue
		}
		query := fmt.Sprintf(path, sel)
		price := e.priceOf(query)
		e.sim.ResetRequests()
		if errs := e.do(query, nil, nil); len(errs) > 0 {
			t.Errorf("%s.%s: %s: %+v", f.parent, f.def.Name, query, errs)
		}
		calls := e.sim.RequestCount()
		if float64(calls) > price {
			t.Errorf("%s.%s makes %d upstream calls but is priced %v (%s): give it a call group in callGroup or a case in costWalker.field",
				f.parent, f.def.Name, calls, price, query)
		}
	}
}

type resolverField struct {
	parent string
	def    *ast.FieldDefinition
}

func (f resolverField) String() string { return f.parent + "." + f.def.Name }

// resolverFields lists the schema fields behind the methods of the
// generated resolver interfaces. The entity resolver answers
// Query._entities.
func resolverFields(t *testing.T, schema *ast.Schema) []resolverField {
	t.Helper()
	var out []resolverField
	root := reflect.TypeFor[generated.ResolverRoot]()
	for i := range root.NumMethod() {
		typ := root.Method(i)
		if typ.Name == "Entity" {
			out = append(out, resolverField{"Query", schema.Query.Fields.ForName("_entities")})
			continue
		}
		def := schema.Types[typ.Name]
		if def == nil {
			t.Fatalf("resolver root %s names no schema type", typ.Name)
		}
		iface := typ.Type.Out(0)
		for j := range iface.NumMethod() {
			m := iface.Method(j).Name
			var found *ast.FieldDefinition
			for _, fd := range def.Fields {
				if strings.EqualFold(fd.Name, m) {
					found = fd
				}
			}
			if found == nil {
				t.Fatalf("resolver %s.%s names no field of %s", typ.Name, m, typ.Name)
			}
			out = append(out, resolverField{typ.Name, found})
		}
	}
	return out
}

// selection writes the field with the sample arguments it takes, and
// __typename below it when it is an object.
func selection(def *ast.FieldDefinition, schema *ast.Schema, samples map[string]string) (string, error) {
	var as []string
	for _, a := range def.Arguments {
		v, ok := samples[a.Name]
		if !ok {
			if a.Type.NonNull {
				return "", fmt.Errorf("no sample value for the required argument %s; add one", a.Name)
			}
			continue
		}
		as = append(as, a.Name+": "+v)
	}
	s := def.Name
	if len(as) > 0 {
		s += "(" + strings.Join(as, ", ") + ")"
	}
	if t := schema.Types[def.Type.Name()]; t != nil && t.Kind != ast.Scalar && t.Kind != ast.Enum {
		s += " { __typename }"
	}
	return s, nil
}
