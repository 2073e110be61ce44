package graph_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// conflictingAliases is n fields under one response name with different
// arguments: every pair of them conflicts in validation.
func conflictingAliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, ` a: logs(gatewayId: "prod-chat", search: "%d") { totalCount }`, i)
	}
	return b.String() + " }"
}

// TestShapeIsBoundedBeforeValidation: a document with more fields than the
// limit is refused before validation runs, with one error, however many
// pairs of its fields would conflict.
func TestShapeIsBoundedBeforeValidation(t *testing.T) {
	e := newEnv(t)
	// Within the field limit, one response name selected over and over
	// would still make validation compare every pair of them.
	_, errs := e.rawPost("application/json", gqlBody(conflictingAliases(60), nil))
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if len(errs) != 1 || !strings.Contains(errs[0].Message, `"a"`) {
		t.Fatalf("errors %.500v", errs)
	}

	e.resolver.Config.Limits.MaxFields = 100
	rebuild(e)
	status, errs := e.rawPost("application/json", gqlBody(conflictingAliases(120), nil))
	if status != http.StatusOK || len(errs) != 1 {
		t.Fatalf("HTTP %d with %d errors, want one error (first: %+v)", status, len(errs), errs[:min(1, len(errs))])
	}
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")

	// Fragments are expanded in the count, and one spread inside itself
	// neither loops nor hides the cycle from validation.
	frag := `query { ...A } fragment A on Query { a: __typename ...B } fragment B on Query { b: __typename ...A }`
	_, errs = e.rawPost("application/json", gqlBody(frag, nil))
	expectCode(t, errs, "GRAPHQL_VALIDATION_FAILED")
	if !strings.Contains(errs[0].Message, "within itself") {
		t.Fatalf("fragment cycle reported as %q", errs[0].Message)
	}

	// Fragments that only spread others, doubling at each level, select
	// 2^30 fields: refused before expanding them all.
	var bomb strings.Builder
	bomb.WriteString("query { ...F0 }")
	for i := range 30 {
		fmt.Fprintf(&bomb, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	bomb.WriteString(" fragment F30 on Query { __typename }")
	_, errs = e.rawPost("application/json", gqlBody(bomb.String(), nil))
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
}

// TestValidationErrorsAreCapped: within the field limit, a document can
// still have many errors; the answer lists the first hundred and says
// that more were left out.
func TestValidationErrorsAreCapped(t *testing.T) {
	e := newEnv(t)
	var unknown strings.Builder
	unknown.WriteString("{")
	for i := range e.resolver.Config.Limits.MaxFields - 10 { // within the limit
		fmt.Fprintf(&unknown, " nope%d", i)
	}
	unknown.WriteString(" }")
	_, errs := e.rawPost("application/json", gqlBody(unknown.String(), nil))
	if len(errs) != 101 {
		t.Fatalf("%d errors, want 100 and one saying more were left out", len(errs))
	}
	for _, err := range errs {
		if err.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("error %q has code %q", err.Message, err.code())
		}
	}
	if last := errs[100].Message; !strings.Contains(last, "too many validation errors") {
		t.Fatalf("last error %q", last)
	}
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
}

// graphiqlIntrospection is the introspection query GraphiQL sends.
const graphiqlIntrospection = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

// TestIntrospectionIsPriced: introspection counts toward the field limit
// and is priced by the values it produces, so that the tools that need
// the whole schema get it, and aliased copies of it are refused.
func TestIntrospectionIsPriced(t *testing.T) {
	e := newEnv(t)
	var full struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	e.mustDo(graphiqlIntrospection, nil, &full)
	if len(full.Schema.Types) < 20 {
		t.Fatalf("introspection answered %d types", len(full.Schema.Types))
	}

	// Aliased introspection: within the field limit, over the values.
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		fmt.Fprintf(&b, " s%d: __schema { types { fields { args { type { ofType { ofType { name } } } } } } }", i)
	}
	b.WriteString(" }")
	expectCode(t, e.do(b.String(), nil, nil), "QUERY_TOO_EXPENSIVE")

	// Introspection selections count toward the field limit.
	e.resolver.Config.Limits.MaxFields = 15
	rebuild(e)
	expectCode(t, e.do(`{ __schema { types { name kind description fields { name description type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }`, nil, nil), "QUERY_TOO_EXPENSIVE")
}

// cancelAfterFirst cancels the request once the first field named name
// has resolved: the request ends in the middle of the operation (as at its
// deadline, or when its client leaves) without waiting for a clock.
type cancelAfterFirst struct {
	name   string
	cancel context.CancelFunc
}

func (cancelAfterFirst) ExtensionName() string                   { return "cancelAfterFirst" }
func (cancelAfterFirst) Validate(graphql.ExecutableSchema) error { return nil }
func (c cancelAfterFirst) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if graphql.GetFieldContext(ctx).Field.Name == c.name {
		c.cancel()
	}
	return res, err
}

// TestIntrospectionStopsWhenTheRequestEnds: introspection is answered from
// memory, so nothing upstream would stop it; it checks the request's
// context itself, field by field.
func TestIntrospectionStopsWhenTheRequestEnds(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.resolver.Config.Extensions = append(e.resolver.Config.Extensions, cancelAfterFirst{name: "types", cancel: cancel})
	rebuild(e)
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(gqlBody(graphiqlIntrospection, nil)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	body := rec.Body.String()
	if !strings.Contains(body, "CLIENT_CLOSED_REQUEST") || strings.Contains(body, `"kind":"OBJECT"`) {
		t.Fatalf("introspection ran on after its request ended: %.300s", body)
	}
}

// TestAnswerSizeIsBounded: an operation within the call budget may still
// ask for an answer too large to write cheaply; it is refused whole, by
// the values the answer may hold, lists multiplied.
func TestAnswerSizeIsBounded(t *testing.T) {
	e := newEnv(t)
	const page = `logs(gatewayId: "prod-chat", first: 200) { nodes { logId createdAt provider model modelType path success cached statusCode duration tokensIn tokensOut cost customCost metadata requestContentType responseContentType requestType step } }`
	e.mustDo("{ "+page+" }", nil, nil)
	e.sim.ResetRequests()
	errs := e.do("{ a: "+page+" b: "+page+" c: "+page+" }", nil, nil)
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if v, _ := errs[0].Extensions["values"].(float64); v <= float64(e.resolver.Config.Limits.MaxValues) {
		t.Fatalf("extensions %v", errs[0].Extensions)
	}
	if n := e.sim.RequestCount(); n != 0 {
		t.Fatalf("%d upstream calls", n)
	}
}
