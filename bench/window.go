package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aigw/gqlfacade/cfsim"
)

// windowSize is the larger window of scenario 1w: four upstream pages.
const windowSize = 200

// Paths of scenario 1w.
const (
	pathProxyWindow   = "proxy-window"
	pathServiceWindow = "service-window"
)

// scenarioWindow200 is scenario 1w: a window of 200 logs through the
// service (`first: 200`, four upstream pages of 50 fetched concurrently)
// against its floor, the same four upstream requests through the floor
// proxy one after the other as one request of the load. The proxy's CPU
// per request is then what forwarding those four answers costs, the
// least any facade serving the window pays.
func (h *harness) scenarioWindow200(rep *report) error {
	body := gqlBody(logsQuery(windowSize), nil)
	h.sim.ResetRequests()
	answer, err := h.post(body)
	if err != nil {
		return fmt.Errorf("window: %w", err)
	}
	if n := strings.Count(string(answer), `"logId"`); n != windowSize {
		return fmt.Errorf("window: want %d logs, got %d: %.300s", windowSize, n, answer)
	}
	reqs := h.sim.Requests()
	if len(reqs) != windowSize/50 {
		return fmt.Errorf("window: first:%d made %d upstream calls, want %d", windowSize, len(reqs), windowSize/50)
	}
	slices.SortFunc(reqs, func(a, b cfsim.Request) int { return strings.Compare(a.RawQuery, b.RawQuery) })
	var urls []string
	for _, r := range reqs {
		urls = append(urls, "http://"+h.proxy.addr+r.Path+"?"+r.RawQuery)
	}
	proxied := restTarget(urls[0])
	proxied.more = urls[1:]
	service := graphqlTarget(h.serviceURL(), body)

	rep.window = map[string]map[int]measured{}
	for _, c := range h.o.conc {
		for _, p := range []struct {
			key string
			t   target
		}{{pathProxyWindow, proxied}, {pathServiceWindow, service}} {
			m, err := h.measure("1w "+p.key, p.t, c, nil)
			if err != nil {
				return err
			}
			if rep.window[p.key] == nil {
				rep.window[p.key] = map[int]measured{}
			}
			rep.window[p.key][c] = m
		}
	}
	return nil
}

// windowRows are scenario 1w's rows of the report.
func (r *report) windowRows(add func(s, f, v, t, verdict string)) {
	for _, c := range r.o.conc {
		px, okP := r.window[pathProxyWindow][c]
		svc, okS := r.window[pathServiceWindow][c]
		if okP {
			s := fmt.Sprintf("1w reverse proxy (floor), the window's %d upstream pages in turn, c=%d", windowSize/50, c)
			add(s, "throughput · p50 · p99", fmtLoad(px), "", "")
			add(s, "proxy CPU per request (all pages)", fmtUs(px.cpuPerReq("proxy")), "", "")
		}
		if okS {
			s := fmt.Sprintf("1w service first:%d, c=%d", windowSize, c)
			add(s, "throughput · p50 · p99", fmtLoad(svc), "", "")
			add(s, "service CPU per request · upstream calls per request", fmt.Sprintf("%s · %.2f", fmtUs(svc.cpuPerReq("service")), svc.callsPerReq()), "", "")
		}
		if okS && okP && px.cpuPerReq("proxy") > 0 {
			ratio := svc.cpuPerReq("service") / px.cpuPerReq("proxy")
			add(fmt.Sprintf("1w targets, c=%d", c), "service CPU/request ÷ proxy CPU/request",
				fmt.Sprintf("%.2f× (%s ÷ %s)", ratio, fmtUs(svc.cpuPerReq("service")), fmtUs(px.cpuPerReq("proxy"))),
				fmt.Sprintf("≤ %.0f×", targetCPURatio), r.verdict(ratio <= targetCPURatio))
		}
	}
}

func fmtLoad(m measured) string {
	return fmt.Sprintf("%s req/s · %s · %s%s", fmtInt(m.res.rps()), fmtMs(m.res.pct(50)), fmtMs(m.res.pct(99)), errNote(m))
}
