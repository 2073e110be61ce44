package cfsim

import (
	"cmp"
	"strings"
)

// orderKeys are the order_by values the upstream accepts, each with how it
// compares two logs ascending. created_at needs no key of its own: it is
// the first tie-break of every order.
var orderKeys = map[string]func(a, b *Log) int{
	"created_at": func(a, b *Log) int { return 0 },
	"provider":   func(a, b *Log) int { return strings.Compare(a.Provider, b.Provider) },
	"model":      func(a, b *Log) int { return strings.Compare(a.Model, b.Model) },
	"model_type": func(a, b *Log) int { return compareOptString(a.ModelType, b.ModelType) },
	"success":    func(a, b *Log) int { return compareBool(a.Success, b.Success) },
	"cached":     func(a, b *Log) int { return compareBool(a.Cached, b.Cached) },
}

// deleteOrderKeys are the order_by values Delete Gateway Logs accepts
// beyond List's; a null sorts before any number, as a null model_type does.
var deleteOrderKeys = map[string]func(a, b *Log) int{
	"cost":       func(a, b *Log) int { return compareOpt(a.Cost, b.Cost) },
	"tokens_in":  func(a, b *Log) int { return compareOpt(a.TokensIn, b.TokensIn) },
	"tokens_out": func(a, b *Log) int { return compareOpt(a.TokensOut, b.TokensOut) },
	"duration":   func(a, b *Log) int { return cmp.Compare(a.Duration, b.Duration) },
	"feedback":   func(a, b *Log) int { return compareOpt(a.Feedback, b.Feedback) },
}

func orderKey(orderBy string) func(a, b *Log) int {
	if k, ok := orderKeys[orderBy]; ok {
		return k
	}
	return deleteOrderKeys[orderBy]
}

// compareAsc is a total order: the order_by key, then created_at, then id
// (ids are unique). Because the tie-breaks follow the requested direction,
// asc is exactly desc reversed and page boundaries never shuffle equal keys
// between requests — which keyset or offset paging in a client relies on.
func compareAsc(orderBy string, a, b *Log) int {
	if c := orderKey(orderBy)(a, b); c != 0 {
		return c
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// descBy is the comparator of the stored (descending) slices.
func descBy(orderBy string) func(a, b *entry) int {
	return func(a, b *entry) int { return -compareAsc(orderBy, &a.log, &b.log) }
}

// compareOptString puts nil (no model_type) before every string.
func compareOptString(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return strings.Compare(*a, *b)
}

// compareOpt puts nil before every number.
func compareOpt[T int | float64](a, b *T) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

// compareBool puts false before true.
func compareBool(a, b bool) int {
	ai, bi := 0, 0
	if a {
		ai = 1
	}
	if b {
		bi = 1
	}
	return cmp.Compare(ai, bi)
}
