package cfsim

import (
	"slices"
	"testing"
	"time"
)

// A list bounded by created_at alone is answered from a binary search of
// the time-ordered logs (timeRange): for bounds at, between, before and
// after the logs' instants (several logs share one millisecond here), the
// answer — ids, order and total — is what testing each log gives, with and
// without the figures of meta_info, in both orders.
func TestCreatedAtBoundAloneMatchesTheOracle(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300})
	f.s.Append("prod-chat", 4)    // four logs in one millisecond
	logs := f.s.Logs("prod-chat") // newest first, as the answer
	var bounds []time.Time
	for i := 0; i < len(logs); i += 37 {
		at := logs[i].CreatedAt
		bounds = append(bounds, at, at.Add(time.Millisecond), at.Add(-time.Millisecond))
	}
	bounds = append(bounds, logs[0].CreatedAt, logs[len(logs)-1].CreatedAt.Add(-time.Hour), logs[0].CreatedAt.Add(time.Hour))
	for _, bound := range bounds {
		for _, op := range []string{"lt", "gt"} {
			filter := Filter{Key: "created_at", Operator: op, Value: []any{bound.Format(time.RFC3339Nano)}}
			want := bruteFilter(logs, "", filter)
			for _, dir := range []string{"desc", "asc"} {
				q := filtersQ(filter)
				q.Set("order_by", "created_at")
				q.Set("order_by_direction", dir)
				got, total := f.listAll("prod-chat", q)
				w := slices.Clone(want)
				if dir == "asc" {
					slices.Reverse(w)
				}
				if !slices.Equal(got, w) || total != len(want) {
					t.Fatalf("created_at %s %s, %s: got %d ids (total %d), want %d", op, bound.Format(time.RFC3339Nano), dir, len(got), total, len(want))
				}
			}
			q := filtersQ(filter)
			q.Set("meta_info", "true")
			minCost, ok := f.list("prod-chat", q).info("min_cost")
			if wantMin, any := bruteMinCost(logs, want); ok != any || minCost != wantMin {
				t.Fatalf("created_at %s %s: min_cost %v (present %v), want %v (present %v)", op, bound, minCost, ok, wantMin, any)
			}
		}
	}
}

// bruteMinCost is the least cost among the logs with the given ids.
func bruteMinCost(logs []Log, ids []string) (float64, bool) {
	min, any := 0.0, false
	for _, l := range logs {
		if l.Cost != nil && slices.Contains(ids, l.ID) && (!any || *l.Cost < min) {
			min, any = *l.Cost, true
		}
	}
	return min, any
}
