package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Targets the benchmark holds the service to (README: Benchmark).
const (
	targetCPURatio     = 3.0                    // service CPU/request ≤ 3× proxy's
	targetAddedLatency = 500 * time.Microsecond // service p50 − direct p50 at c=1
	targetFanOutRatio  = 1.3                    // p50 first:200 ≤ 1.3× first:50
	targetPeakRSSMiB   = 64.0                   // service VmHWM under load at c=32
)

// report gathers every figure of a run and renders it as markdown.
type report struct {
	o       options
	started time.Time

	serviceGC            string // the service child's GC settings in effect
	serviceUpstreamQuery string
	restPageBytes        int                         // the upstream's 50-log page (1a)
	graphqlAnswerBytes   int                         // the service's answer to the 50-log query (1c)
	page50               map[string]map[int]measured // path → concurrency → run
	window               map[string]map[int]measured // scenario 1w: path → concurrency → run
	budget               budgetFigures               // the service's rate budget after the load
	rss                  rssFigures
	profile              *profileResult
	calls                []callRow
	fanOut               map[int][2]measured // concurrency → {first:50, first:200}
	benches              map[string]benchLine
	benchErr             error

	passes, fails int
}

type row struct{ scenario, figure, value, target, verdict string }

func (r *report) verdict(ok bool) string {
	if ok {
		r.passes++
		return "PASS"
	}
	r.fails++
	return "**FAIL**"
}

var pathTitle = map[string]string{
	pathDirect:     "1a direct REST",
	pathDirectSame: "1a′ direct REST, the service's own query",
	pathProxy:      "1b reverse proxy (floor)",
	pathService:    "1c service (GraphQL)",
}

func (r *report) rows() []row {
	var rows []row
	add := func(s, f, v, t, verdict string) { rows = append(rows, row{s, f, v, t, verdict}) }

	// Scenario 1.
	for _, c := range r.o.conc {
		for _, p := range []string{pathDirect, pathDirectSame, pathProxy, pathService} {
			m, ok := r.page50[p][c]
			if !ok {
				continue
			}
			s := fmt.Sprintf("%s, c=%d", pathTitle[p], c)
			add(s, "throughput · p50 · p99", fmt.Sprintf("%s req/s · %s · %s%s", fmtInt(m.res.rps()), fmtMs(m.res.pct(50)), fmtMs(m.res.pct(99)), errNote(m)), "", "")
			switch p {
			case pathProxy:
				add(s, "proxy CPU per request", fmtUs(m.cpuPerReq("proxy")), "", "")
			case pathService:
				add(s, "service CPU per request · upstream calls per request", fmt.Sprintf("%s · %.2f", fmtUs(m.cpuPerReq("service")), m.callsPerReq()), "", "")
			}
			add(s, "parent CPU per request (cfsim + load generator)", fmtUs(m.cpuPerReq("parent")), "", "")
		}
		svc, okS := r.page50[pathService][c]
		px, okP := r.page50[pathProxy][c]
		if okS && okP && px.cpuPerReq("proxy") > 0 {
			ratio := svc.cpuPerReq("service") / px.cpuPerReq("proxy")
			add(fmt.Sprintf("1 targets, c=%d", c), "service CPU/request ÷ proxy CPU/request",
				fmt.Sprintf("%.2f× (%s ÷ %s)", ratio, fmtUs(svc.cpuPerReq("service")), fmtUs(px.cpuPerReq("proxy"))),
				fmt.Sprintf("≤ %.0f×", targetCPURatio), r.verdict(ratio <= targetCPURatio))
		}
		d, okD := r.page50[pathDirect][c]
		same, okSame := r.page50[pathDirectSame][c]
		if okS && okD {
			added := svc.res.pct(50) - d.res.pct(50)
			v := fmt.Sprintf("%s (%s − %s)", fmtMs(added), fmtMs(svc.res.pct(50)), fmtMs(d.res.pct(50)))
			if okSame {
				v += fmt.Sprintf("; vs 1a′: %s", fmtMs(svc.res.pct(50)-same.res.pct(50)))
			}
			if okP {
				v += fmt.Sprintf("; proxy adds %s", fmtMs(px.res.pct(50)-d.res.pct(50)))
			}
			if c == r.o.conc[0] {
				add(fmt.Sprintf("1 targets, c=%d", c), "added latency p50 (service − direct)", v,
					"≤ "+fmtMs(targetAddedLatency), r.verdict(added <= targetAddedLatency))
			} else {
				add(fmt.Sprintf("1 targets, c=%d", c), "added latency p50 (service − direct)", v, "(target at c=1 only)", "")
			}
		}
	}

	r.windowRows(add)
	v := fmt.Sprintf("%.0f waits · %.0f refusals", r.budget.waits, r.budget.refusals)
	if r.budget.err != nil {
		v = "error: " + r.budget.err.Error()
	}
	add("1 sanity", "service rate budget over every run (ratebudget_waits_total · ratebudget_refusals_total)", v, "0 · 0 (the load measures requests, not pacing)", r.verdict(r.budget.idle()))

	// Scenario 2.
	for _, c := range r.o.conc {
		pair, ok := r.fanOut[c]
		if !ok {
			continue
		}
		s := fmt.Sprintf("2 fan-out, upstream +%v, c=%d", r.o.fanLatency, c)
		p50, p200 := pair[0].res.pct(50), pair[1].res.pct(50)
		add(s, "p50 first:50 · first:200 (p99)", fmt.Sprintf("%s · %s (%s · %s)%s", fmtMs(p50), fmtMs(p200), fmtMs(pair[0].res.pct(99)), fmtMs(pair[1].res.pct(99)), errNote(pair[0])+errNote(pair[1])), "", "")
		add(s, "upstream calls per request first:50 · first:200", fmt.Sprintf("%.2f · %.2f", pair[0].callsPerReq(), pair[1].callsPerReq()), "", "")
		ratio := 0.0
		if p50 > 0 {
			ratio = float64(p200) / float64(p50)
		}
		if c == r.o.conc[0] {
			add(s, "p50 first:200 ÷ first:50", fmt.Sprintf("%.2f×", ratio), fmt.Sprintf("≤ %.1f×", targetFanOutRatio), r.verdict(ratio <= targetFanOutRatio))
		} else {
			note := ""
			if ratio > targetFanOutRatio {
				note = "above target: see README (pool-bound under load)"
			}
			add(s, "p50 first:200 ÷ first:50", fmt.Sprintf("%.2f×", ratio), fmt.Sprintf("(≤ %.1f× gated at c=%d)", targetFanOutRatio, r.o.conc[0]), note)
		}
	}

	// Scenario 3.
	for _, c := range r.calls {
		v := fmt.Sprintf("%d: %s", c.got, strings.Join(c.calls, ", "))
		if c.over > 0 {
			v += fmt.Sprintf(" — above the minimum in %d of %d runs", c.over, callRepeats)
		}
		if c.items != c.wantItems {
			v += fmt.Sprintf(" — answer has %d logs, want %d", c.items, c.wantItems)
		}
		if c.excess != "" {
			v += " — " + c.excess
		}
		if c.err != "" {
			v += " — error: " + truncate(c.err, 160)
		}
		add("3 upstream calls", c.name, v, fmt.Sprintf("= %d (minimum), all %d runs", c.min, callRepeats), r.verdict(c.pass()))
	}

	// Scenario 4.
	if r.rss.conc > 0 {
		s := fmt.Sprintf("4 service memory under load, c=%d", r.rss.conc)
		if r.rss.err != nil {
			add(s, "peak RSS (VmHWM)", "error: "+r.rss.err.Error(), fmt.Sprintf("≤ %.0f MiB", targetPeakRSSMiB), r.verdict(false))
		} else {
			hwm := float64(r.rss.hwmKB) / 1024
			v := fmt.Sprintf("%.1f MiB (VmRSS after: %.1f MiB; peak since start before this run: %.1f MiB)", hwm, float64(r.rss.rssKB)/1024, float64(r.rss.hwmSinceStartKB)/1024)
			if r.rss.resetErr != nil {
				v += " — VmHWM could not be reset, so it is since start"
			}
			add(s, "peak RSS (VmHWM)", v, fmt.Sprintf("≤ %.0f MiB", targetPeakRSSMiB), r.verdict(hwm <= targetPeakRSSMiB))
		}
	}

	// Scenario 5.
	if r.benchErr != nil {
		add("5 allocations (go test -bench)", "error", truncate(strings.ReplaceAll(r.benchErr.Error(), "\n", " "), 300), "", "")
	}
	if r.benches != nil {
		full, okF := r.benches["BenchmarkLogsPage50"]
		rc, okR := r.benches["BenchmarkRestclientPage50"]
		floor, okU := r.benches["BenchmarkUpstreamFloor50"]
		for _, b := range []struct{ name, what string }{
			{"BenchmarkLogsPage50", "whole stack in-process: /query handler → restclient → cfsim"},
			{"BenchmarkLogsWindow200", "the same, first: 200 (four upstream pages)"},
			{"BenchmarkRestclientPage50", "restclient.ListLogs → cfsim"},
			{"BenchmarkUpstreamFloor50", "plain HTTP GET of the same upstream call → cfsim"},
		} {
			if l, ok := r.benches[b.name]; ok {
				add("5 allocations", b.name+" ("+b.what+")", fmtBench(l), "", "")
			}
		}
		if okF && okU {
			add("5 allocations", "service's own per request (LogsPage50 − Floor)", fmtDelta(full, floor), "", "")
		}
		if w, ok := r.benches["BenchmarkLogsWindow200"]; ok && okU {
			floor4 := benchLine{allocs: 4 * floor.allocs, bytesOp: 4 * floor.bytesOp}
			add("5 allocations", "service's own per request, first: 200 (Window200 − 4 × Floor)", fmtDelta(w, floor4), "", "")
		}
		if okR && okU {
			add("5 allocations", "  of which restclient (Restclient − Floor)", fmtDelta(rc, floor), "", "")
		}
		if okF && okR {
			add("5 allocations", "  of which graph + gqlgen (LogsPage50 − Restclient)", fmtDelta(full, rc), "", "")
		}
	}
	return rows
}

func (r *report) markdown() string {
	r.passes, r.fails = 0, 0
	rows := r.rows()
	var b strings.Builder
	fmt.Fprintf(&b, "# gqlfacade bench\n\n")
	fmt.Fprintf(&b, "%s · %s · %v measured per load scenario after %v warm-up · concurrency %s · cfsim %d logs/gateway\n\n",
		r.started.UTC().Format(time.RFC3339), goVersionLine(), r.o.duration, r.o.warmup, joinInts(r.o.conc), r.o.logs)
	fmt.Fprintf(&b, "Service child: the stack `app.New` builds, as the server ships (rate budget in the chain with its limit raised, breaker, metrics, request log, tracing); runtime %s (`-service-env` to change). The proxy child runs with Go's defaults.\n\n", r.serviceGC)
	if r.serviceUpstreamQuery != "" {
		fmt.Fprintf(&b, "The 50-log page is %s bytes of upstream JSON and %s bytes of GraphQL answer. The service's upstream call for it (replayed as 1a′): `?%s`\n\n",
			fmtInt(float64(r.restPageBytes)), fmtInt(float64(r.graphqlAnswerBytes)), r.serviceUpstreamQuery)
	}
	fmt.Fprintf(&b, "| Scenario | Figure | Value | Target | Verdict |\n|---|---|---|---|---|\n")
	for _, x := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", esc(x.scenario), esc(x.figure), esc(x.value), esc(x.target), x.verdict)
	}
	fmt.Fprintf(&b, "\n**Targets: %d PASS, %d FAIL.** Figures are from a shared machine: compare rows of one run, not runs.\n", r.passes, r.fails)
	if p := r.profile; p != nil {
		fmt.Fprintf(&b, "\n## CPU profile of the service during 1c at c=%d (`%s`)\n\n", slices.Max(r.o.conc), p.path)
		if p.err != nil {
			fmt.Fprintf(&b, "error: %v\n\n", p.err)
		}
		if p.top != "" {
			fmt.Fprintf(&b, "```\n%s\n```\n", p.top)
		}
		if p.total > 0 {
			fmt.Fprintf(&b, "\nThe same samples charged to components (the leaf-most frame that names one; GC workers and syscalls first):\n\n")
			fmt.Fprintf(&b, "| Component | CPU | Share |\n|---|---|---|\n")
			for _, c := range p.breakdownRows() {
				d := p.byCategory[c]
				fmt.Fprintf(&b, "| %s | %v | %.1f%% |\n", esc(c), d, 100*float64(d)/float64(p.total))
			}
			fmt.Fprintf(&b, "| *of all the above: under runtime.mallocgc (allocation, incl. GC assists)* | %v | %.1f%% |\n", p.malloc, 100*float64(p.malloc)/float64(p.total))
			fmt.Fprintf(&b, "| **total** | %v | 100%% |\n", p.total)
		}
	}
	return b.String()
}

func fmtMs(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}
func fmtUs(us float64) string { return fmt.Sprintf("%.0f µs", us) }

func fmtInt(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fmtBench(l benchLine) string {
	return fmt.Sprintf("%s allocs/op · %s B/op · %.0f µs/op (n=%d)", fmtInt(l.allocs), fmtInt(l.bytesOp), l.nsOp/1e3, l.n)
}

func fmtDelta(a, b benchLine) string {
	return fmt.Sprintf("%s allocs · %s B", fmtInt(a.allocs-b.allocs), fmtInt(a.bytesOp-b.bytesOp))
}

func errNote(m measured) string {
	if m.res.errs == 0 {
		return ""
	}
	return fmt.Sprintf(" — %d errors: %s", m.res.errs, truncate(m.res.firstErr, 120))
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// esc keeps a cell inside its column.
func esc(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }
