package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// maxIntrospectionValues bounds the values one operation's introspection
// may produce. Introspection costs no upstream call, but gqlgen spends
// 8–12 µs of CPU on each value it answers (a goroutine per list item and
// many allocations): 481 aliased `__schema { types { fields { args … } } }`
// once took 9 s. GraphiQL's full introspection query on this schema
// produces under 3,000 values, so the tools that need the schema keep
// working, and no operation spends more than about 50 ms on introspection.
const maxIntrospectionValues = 5_000

// introspectionCounter counts, exactly, the values an introspection
// selection resolves, by walking the schema as the executor will — and
// stops once over the bound, so counting never costs more than the bound.
type introspectionCounter struct {
	schema *ast.Schema
	vars   map[string]any
	values int
}

func (c *introspectionCounter) over() bool { return c.values > maxIntrospectionValues }

// introspected is one object of the introspection schema: exactly one of
// its fields is set.
type introspected struct {
	schema    bool
	named     *ast.Definition          // __Type of a named type
	wrapped   *ast.Type                // __Type of a list or non-null type
	field     *ast.FieldDefinition     // __Field
	input     *ast.Type                // __InputValue, by its type
	directive *ast.DirectiveDefinition // __Directive
	enumValue bool                     // __EnumValue
}

// root counts a root `__schema` or `__type(name:)` field.
func (c *introspectionCounter) root(f *ast.Field) {
	switch f.Name {
	case "__schema":
		c.object(f.SelectionSet, introspected{schema: true})
	case "__type":
		name, _ := f.ArgumentMap(c.vars)["name"].(string)
		if def := c.schema.Types[name]; def != nil {
			c.object(f.SelectionSet, introspected{named: def})
		}
	}
}

func (c *introspectionCounter) object(set ast.SelectionSet, obj introspected) {
	for _, sel := range set {
		if c.over() {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			c.values++
			for _, child := range c.children(s, obj) {
				c.object(s.SelectionSet, child)
			}
		case *ast.InlineFragment:
			c.object(s.SelectionSet, obj)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				c.object(s.Definition.SelectionSet, obj)
			}
		}
	}
}

// children are the objects field f of obj resolves to; none for scalars.
func (c *introspectionCounter) children(f *ast.Field, obj introspected) []introspected {
	var out []introspected
	switch {
	case obj.schema:
		switch f.Name {
		case "types":
			for _, def := range c.schema.Types {
				out = append(out, introspected{named: def})
			}
		case "queryType":
			out = c.namedOrNone(c.schema.Query)
		case "mutationType":
			out = c.namedOrNone(c.schema.Mutation)
		case "subscriptionType":
			out = c.namedOrNone(c.schema.Subscription)
		case "directives":
			for _, d := range c.schema.Directives {
				out = append(out, introspected{directive: d})
			}
		}
	case obj.named != nil:
		out = c.typeChildren(f.Name, obj.named)
	case obj.wrapped != nil:
		if f.Name == "ofType" {
			out = append(out, c.typeOf(unwrapOnce(obj.wrapped)))
		}
	case obj.field != nil:
		switch f.Name {
		case "args":
			for _, a := range obj.field.Arguments {
				out = append(out, introspected{input: a.Type})
			}
		case "type":
			out = append(out, c.typeOf(obj.field.Type))
		}
	case obj.input != nil:
		if f.Name == "type" {
			out = append(out, c.typeOf(obj.input))
		}
	case obj.directive != nil:
		if f.Name == "args" {
			for _, a := range obj.directive.Arguments {
				out = append(out, introspected{input: a.Type})
			}
		}
	}
	return out
}

func (c *introspectionCounter) typeChildren(field string, def *ast.Definition) []introspected {
	var out []introspected
	switch field {
	case "fields":
		if def.Kind == ast.Object || def.Kind == ast.Interface {
			for _, f := range def.Fields {
				if !strings.HasPrefix(f.Name, "__") {
					out = append(out, introspected{field: f})
				}
			}
		}
	case "inputFields":
		if def.Kind == ast.InputObject {
			for _, f := range def.Fields {
				out = append(out, introspected{input: f.Type})
			}
		}
	case "interfaces":
		for _, name := range def.Interfaces {
			if iface := c.schema.Types[name]; iface != nil {
				out = append(out, introspected{named: iface})
			}
		}
	case "possibleTypes":
		if def.Kind == ast.Interface || def.Kind == ast.Union {
			for _, p := range c.schema.PossibleTypes[def.Name] {
				out = append(out, introspected{named: p})
			}
		}
	case "enumValues":
		for range def.EnumValues {
			out = append(out, introspected{enumValue: true})
		}
	}
	return out
}

func (c *introspectionCounter) namedOrNone(def *ast.Definition) []introspected {
	if def == nil {
		return nil
	}
	return []introspected{{named: def}}
}

// typeOf is the __Type of a type reference, wrappers first, as gqlgen
// presents it: NON_NULL, then LIST, then the named type.
func (c *introspectionCounter) typeOf(t *ast.Type) introspected {
	if t.NonNull || t.Elem != nil {
		return introspected{wrapped: t}
	}
	return introspected{named: c.schema.Types[t.NamedType]}
}

func unwrapOnce(t *ast.Type) *ast.Type {
	if t.NonNull {
		inner := *t
		inner.NonNull = false
		return &inner
	}
	return t.Elem
}
