package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Paths of scenario 1, in the order they are run and shown.
const (
	pathDirect     = "direct"
	pathDirectSame = "direct-same-query"
	pathProxy      = "proxy"
	pathService    = "service"
)

// scenarioPage50 is scenarios 1 and 4 (and the -cpuprofile capture): the
// same 50-log page fetched directly, through the floor proxy and through
// the service, at each concurrency; the service's peak RSS at the highest.
//
// Besides the brief's direct URL (?page=1&per_page=50) it measures the exact
// upstream request the service makes for the same page (ordering and the
// snapshot's created_at filter): cfsim filters 2,500 logs for it, and that
// is work of the upstream, not of the service, so it is the fairer floor
// for latency.
func (h *harness) scenarioPage50(rep *report) error {
	acct := h.sim.AccountID()
	direct := restTarget(h.simURL + restLogsPath(acct) + "?page=1&per_page=50")
	proxied := restTarget("http://" + h.proxy.addr + restLogsPath(acct) + "?page=1&per_page=50")
	service := graphqlTarget(h.serviceURL(), gqlBody(logsQuery(50), nil))

	// Pre-flight: each path answers the same 50 logs, and the service's
	// upstream request is captured for the direct-same-query path.
	size, err := expectRESTItems(h, direct, 50)
	if err != nil {
		return fmt.Errorf("direct: %w", err)
	}
	rep.restPageBytes = size
	if _, err := expectRESTItems(h, proxied, 50); err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	h.sim.ResetRequests()
	body, err := h.post(gqlBody(logsQuery(50), nil))
	if err != nil {
		return fmt.Errorf("service: %w", err)
	}
	if n := strings.Count(string(body), `"logId"`); n != 50 {
		return fmt.Errorf("service: want 50 logs, got %d: %.300s", n, body)
	}
	rep.graphqlAnswerBytes = len(body)
	reqs := h.sim.Requests()
	if len(reqs) != 1 {
		return fmt.Errorf("service: the first:50 page made %d upstream calls, want 1", len(reqs))
	}
	rep.serviceUpstreamQuery = reqs[0].RawQuery
	same := restTarget(h.simURL + reqs[0].Path + "?" + reqs[0].RawQuery)

	paths := []struct {
		key string
		t   target
	}{{pathDirect, direct}, {pathDirectSame, same}, {pathProxy, proxied}, {pathService, service}}
	rep.page50 = map[string]map[int]measured{}
	maxC := slices.Max(h.o.conc)
	for _, c := range h.o.conc {
		for _, p := range paths {
			var d *during
			if p.key == pathService && c == maxC {
				d = h.duringPeakLoad(rep)
			}
			m, err := h.measure("1 "+p.key, p.t, c, d)
			if err != nil {
				return err
			}
			if rep.page50[p.key] == nil {
				rep.page50[p.key] = map[int]measured{}
			}
			rep.page50[p.key][c] = m
			if d != nil {
				rep.rss.read(h.service.pid(), c)
			}
		}
	}
	return nil
}

// duringPeakLoad resets the service's peak RSS before the measured run at
// the highest concurrency (scenario 4) and, with -cpuprofile, captures the
// service's CPU profile during it.
func (h *harness) duringPeakLoad(rep *report) *during {
	return &during{
		before: func() {
			rep.rss.hwmSinceStartKB, _ = memKB(h.service.pid(), "VmHWM")
			rep.rss.resetErr = resetPeakRSS(h.service.pid())
		},
		start: func() func() {
			if h.o.cpuprofile == "" {
				return nil
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				rep.profile = captureProfile(h.service.pprofAddr, h.o.duration, h.o.cpuprofile)
			}()
			return func() { <-done }
		},
	}
}

type rssFigures struct {
	conc            int
	hwmKB, rssKB    int64
	hwmSinceStartKB int64 // before the reset: start-up and the earlier scenarios
	resetErr        error // VmHWM could not be reset: hwmKB is then since start
	err             error
}

func (r *rssFigures) read(pid, conc int) {
	r.conc = conc
	r.hwmKB, r.err = memKB(pid, "VmHWM")
	if r.err == nil {
		r.rssKB, r.err = memKB(pid, "VmRSS")
	}
}

// scenarioFanOut is scenario 2: first:200 (four upstream pages of 50) vs
// first:50 (one page) with upstream latency injected into cfsim. Run last of
// the load scenarios: cfsim lives in this process, so the latency would slow
// the direct and proxied paths too.
func (h *harness) scenarioFanOut(rep *report) error {
	h.sim.SetLatency(h.o.fanLatency)
	defer h.sim.SetLatency(0)
	rep.fanOut = map[int][2]measured{}
	for _, c := range h.o.conc {
		var pair [2]measured
		for i, first := range []int{50, 200} {
			t := graphqlTarget(h.serviceURL(), gqlBody(logsQuery(first), nil))
			m, err := h.measure(fmt.Sprintf("2 first:%d +%v", first, h.o.fanLatency), t, c, nil)
			if err != nil {
				return err
			}
			pair[i] = m
		}
		rep.fanOut[c] = pair
	}
	return nil
}

// expectRESTItems checks that a REST target answers a page of n logs, and
// returns the size of the answer.
func expectRESTItems(h *harness, t target, n int) (int, error) {
	b, err := h.get(t)
	if err != nil {
		return 0, err
	}
	var env struct {
		Success bool              `json:"success"`
		Result  []json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return 0, err
	}
	if !env.Success || len(env.Result) != n {
		return 0, fmt.Errorf("want %d logs, got %d (success %v)", n, len(env.Result), env.Success)
	}
	return len(b), nil
}
