package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/internal/app"
)

// TestSmallRateLimitsStartAndEnforce: -rate-limit 1 and 2 start, and
// queries past the budget get RATE_LIMITED without an upstream call.
func TestSmallRateLimitsStartAndEnforce(t *testing.T) {
	for _, limit := range []int{1, 2} {
		t.Run(fmt.Sprint("-rate-limit ", limit), func(t *testing.T) {
			if _, err := parseConfig([]string{"-rate-limit", fmt.Sprint(limit)}); err != nil {
				t.Fatal(err)
			}
			sim, base := upstreamServer(t, func(c *app.Config) { c.RateLimit, c.RateWindow = limit, time.Hour })
			sim.ResetRequests()
			answered, limited := 0, 0
			for i := range limit + 2 { // distinct queries: nothing is coalesced
				a := postQuery(t, base, fmt.Sprintf(`{ logs(gatewayId: "prod-chat", first: %d) { nodes { logId } } }`, i+1), nil)
				switch {
				case len(a.Errors) == 0:
					answered++
				case a.Errors[0].Extensions["code"] == "RATE_LIMITED":
					if ra, _ := a.Errors[0].Extensions["retryAfter"].(float64); ra < 60 {
						t.Fatalf("retryAfter %v s; a budget of %d per hour refills in minutes", a.Errors[0].Extensions["retryAfter"], limit)
					}
					limited++
				default:
					t.Fatalf("error %+v", a.Errors[0])
				}
			}
			if answered == 0 || limited == 0 || sim.RequestCount() != answered || answered > limit {
				t.Fatalf("%d answered, %d rate-limited, %d upstream calls, on a budget of %d", answered, limited, sim.RequestCount(), limit)
			}
		})
	}
}
