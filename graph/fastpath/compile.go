package fastpath

import (
	"slices"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// plan is an operation compiled for one assignment of the variables its
// @include/@skip directives read: the root fields, each logs connection's
// selection compiled down to the plain fields of a log.
//
// A plan holds nothing of the document (no AST node, no text of it), so
// that caching it keeps no document alive: the root fields are collected
// again for each request (gqlgen's generated code does the same), and
// checked against the plan's.
type plan struct {
	root []rootField
	size atomic.Int64 // the length of the last answer
}

type rootField struct {
	alias string
	conn  *object // nil for __typename
}

// matches reports whether fields, collected for a request, are the root
// fields the plan was compiled for.
func (p *plan) matches(fields []graphql.CollectedField) bool {
	if len(fields) != len(p.root) {
		return false
	}
	for i, f := range fields {
		if f.Alias != p.root[i].alias || (f.Name == "__typename") != (p.root[i].conn == nil) {
			return false
		}
	}
	return true
}

// compile compiles oc's operation, or returns nil when it is not in the
// subset the fast path serves. The fields are collected by gqlgen's own
// graphql.CollectFields, so fragments, inline fragments, type conditions,
// @include/@skip and the merging of fields under one response name are
// gqlgen's; the plan holds only what these variables select.
func compile(sh *shape, oc *graphql.OperationContext) *plan {
	op := oc.Operation
	if op == nil || op.Operation != ast.Query {
		return nil
	}
	fields := graphql.CollectFields(oc, op.SelectionSet, []string{sh.query})
	p := &plan{root: make([]rootField, 0, len(fields))}
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.Alias] || len(f.Deferrables) > 0 {
			return nil
		}
		seen[f.Alias] = true
		switch {
		case f.Name == "__typename":
			p.root = append(p.root, rootField{alias: strings.Clone(f.Alias)})
		case f.Name == "logs" && f.ObjectDefinition != nil && f.ObjectDefinition.Name == sh.query:
			conn := compileObject(oc, sh.conn, f.Selections)
			if conn == nil {
				return nil
			}
			p.root = append(p.root, rootField{alias: strings.Clone(f.Alias), conn: conn})
		default:
			return nil
		}
	}
	return p
}

// compileObject compiles one selection set of type t, or returns nil when
// it selects a field the fast path does not write.
func compileObject(oc *graphql.OperationContext, t *typeShape, sel ast.SelectionSet) *object {
	fields := graphql.CollectFields(oc, sel, t.implementors)
	o := &object{typeName: t.name, fields: make([]member, 0, len(fields))}
	seen := map[string]bool{}
	for _, f := range fields {
		if len(f.Deferrables) > 0 {
			return nil
		}
		// gqlgen writes a response name once, the first field under it
		// (two can remain when one was selected through an interface).
		if seen[f.Alias] {
			continue
		}
		seen[f.Alias] = true
		fs, ok := t.fields[f.Name]
		if !ok {
			return nil
		}
		m := member{kind: fs.kind}
		if len(o.fields) > 0 {
			m.prefix = append(m.prefix, ',')
		}
		m.prefix = append(appendString(m.prefix, f.Alias), ':')
		if fs.child != nil {
			if m.sub = compileObject(oc, fs.child, f.Selections); m.sub == nil {
				return nil
			}
		}
		o.fields = append(o.fields, m)
	}
	return o
}

// directiveVars lists the variables op's @include and @skip directives
// read, in the order met, or ok false when op uses another directive
// (@defer among them) or more variables than a plan key holds.
func directiveVars(doc *ast.QueryDocument, op *ast.OperationDefinition) (vars []string, ok bool) {
	if len(op.Directives) > 0 {
		return nil, false
	}
	visited := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	check := func(ds ast.DirectiveList) bool {
		for _, d := range ds {
			if d.Name != "include" && d.Name != "skip" {
				return false
			}
			arg := d.Arguments.ForName("if")
			if arg == nil || arg.Value == nil {
				return false
			}
			if arg.Value.Kind == ast.Variable && !slices.Contains(vars, arg.Value.Raw) {
				if len(vars) == maxKeyVars {
					return false
				}
				vars = append(vars, strings.Clone(arg.Value.Raw)) // not a piece of the document's text
			}
		}
		return true
	}
	walk = func(ss ast.SelectionSet) bool {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				if !check(s.Directives) || !walk(s.SelectionSet) {
					return false
				}
			case *ast.InlineFragment:
				if !check(s.Directives) || !walk(s.SelectionSet) {
					return false
				}
			case *ast.FragmentSpread:
				if !check(s.Directives) {
					return false
				}
				if visited[s.Name] {
					continue
				}
				visited[s.Name] = true
				def := doc.Fragments.ForName(s.Name)
				if def == nil || len(def.Directives) > 0 || !walk(def.SelectionSet) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return vars, walk(op.SelectionSet)
}

// maxKeyVars bounds the variables of one plan key.
const maxKeyVars = 16
