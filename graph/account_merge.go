package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// ReasonOrderNotApplied: a gateway's logs did not come in the order asked
// for, so they cannot be merged with other gateways' (extensions.upstream.reason).
const ReasonOrderNotApplied = "ORDER_NOT_APPLIED"

// mergeOrder is the total order of a walk across gateways: the requested
// key in the requested direction; logs of different gateways that tie on it
// by the gateways' index in the walk's sorted set, in the same direction;
// and logs of one gateway in that gateway's own order.
//
// How the upstream breaks ties within a gateway is not documented (nor is
// it needed: the position in the gateway's list is the tie-break), so the
// order never compares two logs of one gateway beyond the key. Because each
// gateway's list is sorted in this order, a merge that takes the smallest
// head is the same list whether it is read forwards or backwards, from the
// start or from any cursor. With gateway ids following the direction, and
// an upstream whose ascending order is its descending order reversed (as
// cfsim's is), the merged ascending list is the descending one reversed.
type mergeOrder struct {
	key  func(a, b *restclient.Log) int // ascending
	sign int                            // 1 ascending, -1 descending
}

// mergeKeys compare two logs by an order_by key, ascending, as the upstream
// is assumed to (docs/upstream.md): a null model_type first, false before true.
var mergeKeys = map[restclient.OrderBy]func(a, b *restclient.Log) int{
	restclient.OrderByCreatedAt: func(a, b *restclient.Log) int { return a.CreatedAt.Compare(b.CreatedAt) },
	restclient.OrderByProvider:  func(a, b *restclient.Log) int { return strings.Compare(a.Provider, b.Provider) },
	restclient.OrderByModel:     func(a, b *restclient.Log) int { return strings.Compare(a.Model, b.Model) },
	restclient.OrderByModelType: func(a, b *restclient.Log) int { return compareOptional(a.ModelType, b.ModelType) },
	restclient.OrderBySuccess:   func(a, b *restclient.Log) int { return compareBool(a.Success, b.Success) },
	restclient.OrderByCached:    func(a, b *restclient.Log) int { return compareBool(a.Cached, b.Cached) },
}

func newMergeOrder(by restclient.OrderBy, dir restclient.Direction) mergeOrder {
	m := mergeOrder{key: mergeKeys[by], sign: 1}
	if dir == restclient.Desc {
		m.sign = -1
	}
	return m
}

// compare orders log a of gateway i and log b of another gateway k.
func (m mergeOrder) compare(a *model.Log, i int, b *model.Log, k int) int {
	if c := m.key(a.Raw, b.Raw); c != 0 {
		return c * m.sign
	}
	return cmp.Compare(i, k) * m.sign
}

// outOfOrder returns the index of the first log of one gateway's run that
// the order puts before the log preceding it, or -1 when the run is in
// order. Such a run would make the merge depend on where it is read from.
func (m mergeOrder) outOfOrder(run []*model.Log) int {
	for k := 1; k < len(run); k++ {
		if m.key(run[k-1].Raw, run[k].Raw)*m.sign > 0 {
			return k
		}
	}
	return -1
}

// mergeForward takes up to n logs from the fronts of the runs, smallest
// first, and returns for each the index of its run. Each run holds at
// least n logs unless its list ends, so no run runs out early. A scan of
// the heads (rather than a heap) is enough: a walk merges a few gateways.
func (m mergeOrder) mergeForward(runs [][]*model.Log, n int) []int {
	next := make([]int, len(runs))
	out := make([]int, 0, min(n, totalLen(runs)))
	for len(out) < n {
		best := -1
		for i, run := range runs {
			if next[i] < len(run) && (best < 0 || m.compare(run[next[i]], i, runs[best][next[best]], best) < 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, best)
		next[best]++
	}
	return out
}

// mergeBackward takes up to n logs from the backs of the runs, largest
// first, and returns their runs' indexes in the list's order.
func (m mergeOrder) mergeBackward(runs [][]*model.Log, n int) []int {
	left := make([]int, len(runs))
	for i, run := range runs {
		left[i] = len(run)
	}
	out := make([]int, 0, min(n, totalLen(runs)))
	for len(out) < n {
		best := -1
		for i, run := range runs {
			if left[i] > 0 && (best < 0 || m.compare(run[left[i]-1], i, runs[best][left[best]-1], best) > 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, best)
		left[best]--
	}
	slices.Reverse(out)
	return out
}

func totalLen(runs [][]*model.Log) int {
	n := 0
	for _, r := range runs {
		n += len(r)
	}
	return n
}

// compareOptional puts a null before every value.
func compareOptional(a, b *string) int {
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

// compareBool puts false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// orderNotApplied is the error of a walk one of whose gateways answered out
// of the requested order: merging it would be wrong, so the field fails.
func orderNotApplied(gatewayID string, by restclient.OrderBy, position int) error {
	e := codedError(CodeUpstreamError, fmt.Sprintf("gateway %s: the upstream's logs are not in %s order at position %d, so they cannot be merged with other gateways'", gatewayID, by, position))
	e.Extensions["gatewayId"] = gatewayID
	e.Extensions["upstream"] = map[string]any{"reason": ReasonOrderNotApplied, "orderBy": string(by)}
	return e
}
