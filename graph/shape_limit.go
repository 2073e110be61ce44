package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// shapeLimit refuses a query document whose selections, fragments
// expanded, are over the field limit — before gqlparser validates it.
// Validation is not linear: the overlapping-fields rule compares every pair
// of fields that share a response name, and writes a message for each pair
// that conflicts, so 1,250 aliases in a 64 KB body made 780,000 errors and
// 1.2 GB. Counting on the parsed document is linear and stops at the
// limit, so nothing past it is ever validated; and no response name may
// repeat more than maxSameResponseName times in one selection set, which
// bounds those pairs.
//
// Documents already in the query cache passed this check (and validation)
// before, so the hot path of a repeated query pays nothing here.
type shapeLimit struct {
	maxFields int
	validated graphql.Cache[*ast.QueryDocument] // gqlgen's query cache
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "QueryShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (s shapeLimit) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if _, ok := s.validated.Get(ctx, params.Query); ok {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Query})
	if err != nil {
		// Answer the parse error here rather than parse twice.
		gqlErr, ok := err.(*gqlerror.Error)
		if !ok {
			gqlErr = gqlerror.Wrap(err)
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	c := selectionCounter{doc: doc, maxFields: s.maxFields, maxVisits: selectionVisitsPerField * s.maxFields}
	for _, op := range doc.Operations {
		c.walk(op.SelectionSet)
	}
	switch {
	case c.repeated != "":
		return tooExpensive(fmt.Sprintf("the query selects %q more than %d times in one selection set", c.repeated, maxSameResponseName), nil)
	case c.fields > c.maxFields:
		return tooExpensive(fmt.Sprintf("the query selects more than %d fields (aliases and fragments counted)", s.maxFields), nil)
	case c.visits > c.maxVisits:
		return tooExpensive(fmt.Sprintf("the query's fragments expand to more than %d selections", c.maxVisits), nil)
	}
	return nil
}

// maxSameResponseName is how often one response name may be selected in
// one selection set, fragments merged. Relay and Apollo merge many
// fragments that each select `id` or `__typename` into one selection set,
// but dozens of them already make a large screen; past this the pairs the
// overlapping-fields rule compares would grow as its square.
const maxSameResponseName = 50

// selectionVisitsPerField bounds fragment spreads and inline fragments:
// a chain of fragments that only spread other fragments selects no field,
// yet doubling spreads would make the walk exponential.
const selectionVisitsPerField = 4

// selectionCounter counts the fields of a document's operations as the
// executor would see them, fragments expanded, and stops once over a limit.
// It runs before validation, so it trusts nothing: unknown fragments are
// skipped and a fragment is never expanded inside itself (both are
// reported by validation afterwards).
type selectionCounter struct {
	doc                  *ast.QueryDocument
	maxFields, maxVisits int
	fields, visits       int
	repeated             string   // a response name selected too often
	expanding            []string // fragments being expanded, innermost last
}

func (c *selectionCounter) over() bool {
	return c.fields > c.maxFields || c.visits > c.maxVisits || c.repeated != ""
}

// walk counts a selection set: its fields, and those that inline
// fragments and fragment spreads merge into it, then their own sets.
func (c *selectionCounter) walk(set ast.SelectionSet) {
	c.merge(set, map[string]int{})
}

func (c *selectionCounter) merge(set ast.SelectionSet, names map[string]int) {
	for _, sel := range set {
		if c.over() {
			return
		}
		c.visits++
		switch s := sel.(type) {
		case *ast.Field:
			c.fields++
			if names[s.Alias]++; names[s.Alias] > maxSameResponseName {
				c.repeated = s.Alias
				return
			}
			c.walk(s.SelectionSet)
		case *ast.InlineFragment:
			c.merge(s.SelectionSet, names)
		case *ast.FragmentSpread:
			c.spread(s.Name, names)
		}
	}
}

func (c *selectionCounter) spread(name string, names map[string]int) {
	for _, open := range c.expanding {
		if open == name {
			return
		}
	}
	def := c.doc.Fragments.ForName(name)
	if def == nil {
		return
	}
	c.expanding = append(c.expanding, name)
	c.merge(def.SelectionSet, names)
	c.expanding = c.expanding[:len(c.expanding)-1]
}
