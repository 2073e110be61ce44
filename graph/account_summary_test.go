package graph_test

import (
	"fmt"
	"testing"
)

type walkSummary struct {
	MinCost, MaxCost, MinDuration, MaxDuration, MinTotalTokens, MaxTotalTokens *float64
}

// TestAccountWalkTotalsAndSummary: totalCount is the sum of the gateways'
// totals, and summary the lowest minimum and highest maximum of theirs (a
// gateway without logs has no figures and changes none).
func TestAccountWalkTotalsAndSummary(t *testing.T) {
	e, _ := newWalkEnv(t)
	const sel = `totalCount summary { minCost maxCost minDuration maxDuration minTotalTokens maxTotalTokens }`
	filter := `filter: {provider: {in: ["openai", "anthropic"]}}`
	var want walkSummary
	wantTotal := 0
	for _, gw := range e.sim.Gateways() {
		var one struct {
			Logs struct {
				TotalCount int
				Summary    walkSummary
			}
		}
		e.mustDo(fmt.Sprintf(`{ logs(gatewayId: %q, %s) { %s } }`, gw, filter, sel), nil, &one)
		wantTotal += one.Logs.TotalCount
		s := one.Logs.Summary
		for _, f := range []struct {
			dst, v **float64
			low    bool
		}{
			{&want.MinCost, &s.MinCost, true}, {&want.MaxCost, &s.MaxCost, false},
			{&want.MinDuration, &s.MinDuration, true}, {&want.MaxDuration, &s.MaxDuration, false},
			{&want.MinTotalTokens, &s.MinTotalTokens, true}, {&want.MaxTotalTokens, &s.MaxTotalTokens, false},
		} {
			if *f.v != nil && (*f.dst == nil || (f.low && **f.v < **f.dst) || (!f.low && **f.v > **f.dst)) {
				*f.dst = *f.v
			}
		}
	}
	var got struct {
		Account struct {
			Logs struct {
				TotalCount int
				Summary    walkSummary
			}
		}
	}
	e.mustDo(fmt.Sprintf(`{ account { logs(%s) { %s } } }`, filter, sel), nil, &got)
	if got.Account.Logs.TotalCount != wantTotal || wantTotal == 0 {
		t.Fatalf("totalCount %d, want %d", got.Account.Logs.TotalCount, wantTotal)
	}
	g, w := got.Account.Logs.Summary, want
	for name, pair := range map[string][2]*float64{
		"minCost": {g.MinCost, w.MinCost}, "maxCost": {g.MaxCost, w.MaxCost},
		"minDuration": {g.MinDuration, w.MinDuration}, "maxDuration": {g.MaxDuration, w.MaxDuration},
		"minTotalTokens": {g.MinTotalTokens, w.MinTotalTokens}, "maxTotalTokens": {g.MaxTotalTokens, w.MaxTotalTokens},
	} {
		if pair[1] == nil || pair[0] == nil || *pair[0] != *pair[1] {
			t.Errorf("%s: %v, want %v", name, pair[0], pair[1])
		}
	}
}
