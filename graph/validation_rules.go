package graph

import (
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// maxValidationErrors is how many validation errors one answer lists: a
// client fixes the first few and asks again, and an attacker must not make
// the server build (and send) a list as long as the pairs of its fields.
const maxValidationErrors = 100

// validationRules are gqlparser's standard rules, plus Int's 32-bit range,
// with at most maxValidationErrors errors reported and then one saying that
// more were left out. gqlgen asks for a new set for every document it
// validates, so the count is per document.
func validationRules() *rules.Rules {
	standard := rules.NewDefaultRules()
	standard.AddRule(intRangeRule.Name, intRangeRule.RuleFunc)
	reported, noted := 0, false
	capped := rules.NewRules()
	for name, rule := range standard.GetInner() {
		capped.AddRule(name, func(observers *core.Events, addError core.AddErrFunc) {
			rule(observers, func(options ...core.ErrorOption) {
				switch {
				case reported < maxValidationErrors:
					reported++
					addError(options...)
				case !noted:
					noted = true
					addError(core.Message("too many validation errors: only the first %d are listed", maxValidationErrors))
				}
			})
		})
	}
	return capped
}

// intRangeRule refuses Int literals outside 32 bits, as the GraphQL
// specification requires: gqlparser accepts all of int64, so a filter value
// like 9223372036854775807 would otherwise travel upstream.
var intRangeRule = core.Rule{Name: "IntWithin32Bits", RuleFunc: func(observers *core.Events, addError core.AddErrFunc) {
	observers.OnValue(func(_ *core.Walker, value *ast.Value) {
		if value.Kind != ast.IntValue || value.Definition == nil || value.Definition.Name != "Int" {
			return
		}
		if n, err := strconv.ParseInt(value.Raw, 10, 64); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			return
		}
		addError(core.Message("Int cannot represent non 32-bit signed integer value: %s", value.Raw), core.At(value.Position))
	})
}}
