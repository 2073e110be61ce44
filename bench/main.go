// Command bench measures the GraphQL facade against the floor: cfsim served
// directly, through a plain reverse proxy, and through the service, side by
// side in one run, and prints one markdown table of every figure with the
// targets marked PASS or FAIL.
//
//	go run ./bench                                 # 5 s per scenario, c = 1 and 32
//	go run ./bench -duration 2s -c 1,8,32 -out bench.md -cpuprofile service.pprof
//
// cfsim and the load generator run in this process; the proxy and the
// service run as child processes of the same binary (-role proxy|service),
// each on its own 127.0.0.1 listener, so that each one's CPU time and memory
// can be read from /proc apart from everything else.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
)

type options struct {
	duration   time.Duration
	warmup     time.Duration
	conc       []int
	out        string
	cpuprofile string
	logs       int
	fanLatency time.Duration
	benchtime  string
	skipGoTest bool
	skipFanOut bool
	serviceEnv string // runtime settings of the service child ("KEY=VAL KEY=VAL")
}

func main() {
	var o options
	var cf childFlags
	var concList string
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measured time of each load scenario")
	flag.DurationVar(&o.warmup, "warmup", 0, "unmeasured warm-up before each load scenario (0: duration/5, at most 1s)")
	flag.StringVar(&concList, "c", "1,32", "comma-separated concurrencies (closed-loop workers) of the load scenarios")
	flag.StringVar(&concList, "concurrency", "1,32", "same as -c")
	flag.StringVar(&o.out, "out", "", "also write the markdown report to this file")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "capture a CPU profile of the service during scenario 1c at the highest concurrency, write it here, print its top 15")
	flag.IntVar(&o.logs, "logs", 2500, "logs per gateway in cfsim")
	flag.DurationVar(&o.fanLatency, "fanout-latency", 50*time.Millisecond, "upstream latency injected for scenario 2")
	flag.StringVar(&o.benchtime, "benchtime", "2s", "-benchtime of the allocation benchmarks (scenario 5)")
	flag.BoolVar(&o.skipGoTest, "skip-gotest", false, "skip scenario 5 (the go test -bench subprocess)")
	flag.BoolVar(&o.skipFanOut, "skip-fanout", false, "skip scenario 2")
	flag.StringVar(&o.serviceEnv, "service-env", "",
		"environment of the service child, KEY=VAL separated by spaces, e.g. 'GOGC=100 GOMEMLIMIT=off' for Go's defaults; empty: the server's own GC defaults")
	// Child roles: not for direct use.
	flag.StringVar(&cf.role, "role", "", "internal: run as the proxy or service child")
	flag.StringVar(&cf.upstream, "upstream", "", "internal: cfsim root URL for a child")
	flag.StringVar(&cf.account, "account", "", "internal: default account id for the service child")
	flag.IntVar(&cf.port, "port", 0, "internal: the child's port on 127.0.0.1 (0: any)")
	flag.BoolVar(&cf.pprof, "pprof", false, "internal: the child serves net/http/pprof on a port of its own")
	flag.Parse()

	if cf.role != "" {
		if err := runChild(cf); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		return
	}
	for s := range strings.SplitSeq(concList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bench: bad -c entry %q\n", s)
			os.Exit(2)
		}
		o.conc = append(o.conc, n)
	}
	slices.Sort(o.conc)
	o.conc = slices.Compact(o.conc)
	if o.warmup == 0 {
		o.warmup = min(o.duration/5, time.Second)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// harness is the parent's view of the run.
type harness struct {
	o        options
	sim      *cfsim.Server
	simURL   string       // root URL of cfsim (no /client/v4)
	upCalls  atomic.Int64 // requests cfsim has received, never reset
	proxy    *child
	service  *child
	client   *http.Client
	selfPID  int
	progress func(format string, args ...any)
}

func run(o options) error {
	h := &harness{o: o, selfPID: os.Getpid(), client: newLoadClient(slices.Max(o.conc))}
	h.progress = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }

	h.sim = cfsim.New(simOptions(o.logs, callerTokens(slices.Max(o.conc))))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.upCalls.Add(1)
		h.sim.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: counted, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	h.simURL = "http://" + ln.Addr().String()

	if h.proxy, err = startChild(childFlags{role: "proxy", upstream: h.simURL}); err != nil {
		return err
	}
	defer h.proxy.stop()
	if h.service, err = startChild(childFlags{role: "service", upstream: h.simURL, account: h.sim.AccountID(), pprof: o.cpuprofile != "", env: serviceEnv(o.serviceEnv)}); err != nil {
		return err
	}
	defer h.service.stop()
	h.progress("cfsim %s · proxy %s (pid %d) · service %s (pid %d)", h.simURL, h.proxy.addr, h.proxy.pid(), h.service.addr, h.service.pid())

	rep := &report{o: o, started: time.Now(), serviceGC: h.service.gc}
	if err := h.scenarioPage50(rep); err != nil {
		return err
	}
	if err := h.scenarioWindow200(rep); err != nil {
		return err
	}
	if err := h.scenarioCalls(rep); err != nil {
		return err
	}
	if !o.skipFanOut {
		if err := h.scenarioFanOut(rep); err != nil {
			return err
		}
	}
	rep.budget = readBudget(h.client, "http://"+h.service.addr+"/metrics")
	if !o.skipGoTest {
		h.progress("scenario 5: go test -bench (compiles first)")
		rep.benches, rep.benchErr = runGoBench(o.benchtime)
	}
	md := rep.markdown()
	fmt.Print(md)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
			return err
		}
		h.progress("report written to %s", o.out)
	}
	return nil
}

// measured is one load run plus the CPU each process spent during it.
type measured struct {
	res     loadResult
	cpu     map[string]time.Duration // "proxy", "service", "parent"
	upCalls int64                    // upstream calls cfsim received
}

// cpuPerReq is a component's CPU time per served request, in µs.
func (m measured) cpuPerReq(component string) float64 {
	if m.res.n == 0 {
		return 0
	}
	return float64(m.cpu[component].Microseconds()) / float64(m.res.n)
}

func (m measured) callsPerReq() float64 {
	if m.res.n == 0 {
		return 0
	}
	return float64(m.upCalls) / float64(m.res.n)
}

// during lets a scenario act on the service while it is under measured
// load (capture a profile), or just before/after it (reset/read peak RSS).
type during struct {
	before func()
	start  func() (wait func())
}

// measure warms the path up, then runs the measured load and charges each
// process the CPU time it used meanwhile.
func (h *harness) measure(name string, t target, conc int, d *during) (measured, error) {
	h.progress("%-28s c=%-3d warm-up %v, measure %v", name, conc, h.o.warmup, h.o.duration)
	if w := runLoad(h.client, t, conc, h.o.warmup); w.errs > 0 && w.n == 0 {
		return measured{}, fmt.Errorf("%s: every warm-up request failed: %s", name, w.firstErr)
	}
	h.sim.ResetRequests()
	stopJanitor := h.janitor()
	defer stopJanitor()
	pids := map[string]int{"proxy": h.proxy.pid(), "service": h.service.pid(), "parent": h.selfPID}
	if d != nil && d.before != nil {
		d.before()
	}
	before, err := h.cpuAll(pids)
	if err != nil {
		return measured{}, err
	}
	calls0 := h.upCalls.Load()
	var wait func()
	if d != nil && d.start != nil {
		wait = d.start()
	}
	res := runLoad(h.client, t, conc, h.o.duration)
	calls := h.upCalls.Load() - calls0
	after, err := h.cpuAll(pids)
	if err != nil {
		return measured{}, err
	}
	if wait != nil {
		wait()
	}
	m := measured{res: res, upCalls: calls, cpu: map[string]time.Duration{}}
	for k := range pids {
		m.cpu[k] = after[k] - before[k]
	}
	if res.errs > 0 {
		h.progress("  %d errors, first: %s", res.errs, res.firstErr)
	}
	h.progress("  %.0f req/s  p50 %s  p99 %s", res.rps(), fmtMs(res.pct(50)), fmtMs(res.pct(99)))
	return m, nil
}

func (h *harness) cpuAll(pids map[string]int) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for k, pid := range pids {
		d, err := cpuTime(pid)
		if err != nil {
			return nil, err
		}
		out[k] = d
	}
	return out, nil
}

// janitor keeps cfsim's request log (every request, kept for tests) from
// growing by the hundred thousand under load; it runs only during load
// scenarios, never around the call counts of scenario 3.
func (h *harness) janitor() (stop func()) {
	done := make(chan struct{})
	go func() {
		tk := time.NewTicker(200 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				h.sim.ResetRequests()
			}
		}
	}()
	return func() { close(done); h.sim.ResetRequests() }
}

func (h *harness) serviceURL() string { return "http://" + h.service.addr + "/query" }

// goVersionLine says what built and runs this.
func goVersionLine() string {
	return fmt.Sprintf("%s %s/%s, %d CPUs, GOMAXPROCS %d", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
}
