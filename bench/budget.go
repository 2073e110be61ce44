package main

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/aigw/gqlfacade/cfsim"
)

// simOptions is cfsim as every scenario and Go benchmark runs it. Its
// Ratelimit header counts each credential's calls against RateLimit, and
// the service believes that header: once it says no call is left, the
// service refuses (RATE_LIMITED) or waits for the upstream's window to
// reset. A load worker makes thousands of calls a minute with its one
// token, past the real limit of 1200 per 5 minutes within seconds, so the
// bench raises the simulator's count as it raises the service's own limit
// (serviceConfig): both budgets stay in the chain and cost what they cost,
// and neither ever refuses or waits. budgetCheck verifies that they did not.
func simOptions(logs int, tokens []string) cfsim.Options {
	return cfsim.Options{LogsPerGateway: logs, Tokens: tokens, RateLimit: math.MaxInt32, RateWindow: 5 * time.Minute}
}

// budgetFigures are the service's rate-budget counters: any wait or
// refusal during a load run would make it measure pacing, not requests.
type budgetFigures struct {
	waits, refusals float64
	err             error
}

func (b budgetFigures) idle() bool { return b.err == nil && b.waits == 0 && b.refusals == 0 }

// readBudget reads the rate budget's wait and refusal counters from the
// service's /metrics.
func readBudget(c *http.Client, metricsURL string) budgetFigures {
	resp, err := c.Get(metricsURL)
	if err != nil {
		return budgetFigures{err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return budgetFigures{err: fmt.Errorf("GET /metrics: status %d", resp.StatusCode)}
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return budgetFigures{err: err}
	}
	sum := func(name string) float64 {
		total := 0.0
		if f := fams[name]; f != nil {
			for _, m := range f.GetMetric() {
				total += m.GetCounter().GetValue()
			}
		}
		return total
	}
	return budgetFigures{waits: sum("ratebudget_waits_total"), refusals: sum("ratebudget_refusals_total")}
}
