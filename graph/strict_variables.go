package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// strictVariables refuses variable values that GraphQL's input coercion
// does not accept but gqlparser lets through: a string for an Int or a
// Float ("200"), a number for a String, an Int outside 32 bits or with a
// fraction, an enum value in another case. gqlgen would then coerce "200" to 200 at execution while
// the price was computed from something else — a string variable once
// bought 404 upstream calls for the price of 20. A refusal here is a
// request error, like every other variable error.
type strictVariables struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = strictVariables{}

func (strictVariables) ExtensionName() string                   { return "StrictVariables" }
func (strictVariables) Validate(graphql.ExecutableSchema) error { return nil }

func (s strictVariables) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	for _, def := range oc.Operation.VariableDefinitions {
		path := ast.Path{ast.PathName("variable"), ast.PathName(def.Variable)}
		if err := s.check(def.Type, oc.Variables[def.Variable], path); err != nil {
			errcode.Set(err, errcode.ValidationFailed)
			return err
		}
	}
	return nil
}

func (s strictVariables) check(typ *ast.Type, val any, path ast.Path) *gqlerror.Error {
	if val == nil {
		return nil // gqlparser has refused null where it is not allowed
	}
	if typ.Elem != nil {
		list, ok := val.([]any)
		if !ok {
			return s.check(typ.Elem, val, path) // a single value stands for a list of one
		}
		for i, item := range list {
			if err := s.check(typ.Elem, item, append(path, ast.PathIndex(i))); err != nil {
				return err
			}
		}
		return nil
	}
	def := s.schema.Types[typ.NamedType]
	if def == nil {
		return nil
	}
	switch {
	case def.Kind == ast.InputObject:
		fields, _ := val.(map[string]any)
		for _, f := range def.Fields {
			if err := s.check(f.Type, fields[f.Name], append(path, ast.PathName(f.Name))); err != nil {
				return err
			}
		}
	case def.Kind == ast.Enum:
		name, _ := val.(string)
		if def.EnumValues.ForName(name) == nil || def.EnumValues.ForName(name).Name != name {
			return gqlerror.ErrorPathf(path, "Enum %q cannot represent %s", def.Name, describe(val))
		}
	case def.Name == "Int":
		if _, ok := int32Value(val); !ok {
			return gqlerror.ErrorPathf(path, "Int cannot represent %s: only an integer between -2^31 and 2^31-1 is an Int", describe(val))
		}
	case def.Name == "String":
		if _, ok := val.(string); !ok { // a json.Number is a string to gqlparser
			return gqlerror.ErrorPathf(path, "String cannot represent %s", describe(val))
		}
	case def.Name == "Float":
		if _, ok := floatValue(val); !ok {
			return gqlerror.ErrorPathf(path, "Float cannot represent %s: only a JSON number is a Float", describe(val))
		}
	}
	return nil
}

// int32Value reads a JSON number that is a whole number within 32 bits.
// A whole float (200.0) is the number 200, as in JSON itself.
func int32Value(v any) (int32, bool) {
	var f float64
	switch n := v.(type) {
	case int:
		f = float64(n)
	case int32:
		return n, true
	case int64:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return 0, false
		}
		return int32(n), true
	case float64:
		f = n
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 32); err == nil {
			return int32(i), true
		}
		var err error
		if f, err = strconv.ParseFloat(string(n), 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, false
	}
	return int32(f), true
}

func floatValue(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, !math.IsInf(n, 0) && !math.IsNaN(n)
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		return f, err == nil && !math.IsInf(f, 0)
	}
	return 0, false
}

// describe names a refused value without echoing an unbounded string.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", truncate(x, 40))
	case json.Number:
		return "the number " + truncate(string(x), 40)
	case float64, int, int32, int64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	}
	return fmt.Sprintf("a value of type %T", v)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
