package graph

import (
	"fmt"
	"math"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// entitiesPrice is the price of one _entities field, kept to tell a
// gateway whose fetch is too expensive how many representations fit.
type entitiesPrice struct {
	calls float64 // the field's calls, times the times it is reached
	reps  float64 // its representations, likewise
}

// entitiesCalls prices `_entities(representations:)` as the equivalent
// direct selections would cost: each type's fragment is reached once per
// representation of that type (not once per representation of every
// type), and logs looked up by global id cost what `nodes` costs for them,
// ⌈k/50⌉ calls per gateway. A federated gateway sends every entity of a
// list in one such fetch, so this is what keeps a fair fetch under the
// limit that the same objects fetched directly would pass.
func (w *costWalker) entitiesCalls(f *ast.Field, args map[string]any, depth int, mult float64) float64 {
	reps := asList(args["representations"])
	perType := map[string]float64{}
	var logIDs []any
	for _, raw := range reps {
		rep, _ := raw.(map[string]any)
		typeName, _ := rep["__typename"].(string)
		perType[typeName]++
		if id, ok := rep["id"].(string); ok && typeName == logEntityType {
			logIDs = append(logIDs, id)
		}
	}
	own, _ := nodesCalls(logIDs)
	total := own*mult + w.entitySelections(f.SelectionSet, depth+1, mult, perType, float64(len(reps)))
	if w.entities == nil || total > w.entities.calls {
		w.entities = &entitiesPrice{calls: total, reps: float64(len(reps)) * mult}
	}
	return total
}

// entitySelections prices what _entities selects: a fragment on a type is
// reached as many times as there are representations of it; a field on the
// union itself (`__typename`) once per representation.
func (w *costWalker) entitySelections(set ast.SelectionSet, depth int, mult float64, perType map[string]float64, all float64) float64 {
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total += w.field(s, depth, mult*all)
		case *ast.InlineFragment:
			total += w.fragmentOnEntity(s.TypeCondition, s.SelectionSet, depth, mult, perType, all)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total += w.fragmentOnEntity(s.Definition.TypeCondition, s.Definition.SelectionSet, depth, mult, perType, all)
			}
		}
	}
	return total
}

func (w *costWalker) fragmentOnEntity(typeCondition string, set ast.SelectionSet, depth int, mult float64, perType map[string]float64, all float64) float64 {
	if typeCondition == "" || typeCondition == "_Entity" {
		return w.entitySelections(set, depth, mult, perType, all)
	}
	if t := w.introspection.schema.Types[typeCondition]; t != nil && t.Kind == ast.Object {
		return w.selections(set, depth, mult*perType[typeCondition])
	}
	// An interface (Node): it may apply to every representation.
	return w.selections(set, depth, mult*all)
}

// explainEntities adds to a QUERY_TOO_EXPENSIVE error how many of the
// priced fetch's representations fit in the limit, the rest of the
// operation unchanged.
func (w *costWalker) explainEntities(e *gqlerror.Error, cost float64) {
	p := w.entities
	if p == nil || p.reps <= 0 || p.calls <= 0 {
		return
	}
	perRep := p.calls / p.reps
	fit := math.Max(0, math.Min(p.reps-1, math.Floor((float64(w.limits.MaxUpstreamCalls)-(cost-p.calls))/perRep)))
	e.Message += fmt.Sprintf("; the entity fetch (_entities) may need %.0f calls for its %.0f representations, so %.0f of them fit in one request: send them in smaller batches, or select less of each", p.calls, p.reps, fit)
	e.Extensions["representations"] = p.reps
	e.Extensions["representationsThatFit"] = fit
}

// logEntityType is the GraphQL name of the log entity, whose
// representations are priced as lookups by global id.
const logEntityType = "AIGatewayLog"
