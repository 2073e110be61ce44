package cfsim

import (
	"strings"
)

// searchPredicate: `search` is a case-insensitive substring match over id,
// provider, model, path and the raw metadata JSON (the upstream leaves it
// undocumented; this is our choice). An empty search matches everything.
func searchPredicate(q string) predicate {
	q = strings.ToLower(q)
	return func(e *entry) bool {
		for _, s := range e.searchIn {
			if strings.Contains(s, q) {
				return true
			}
		}
		return false
	}
}
