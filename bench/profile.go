package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// profileResult is the -cpuprofile capture of the service.
type profileResult struct {
	path string
	top  string // `go tool pprof -top` output
	err  error

	// The same samples split by component (see classify).
	total      time.Duration
	byCategory map[string]time.Duration
	malloc     time.Duration // samples under runtime.mallocgc, outside the GC workers
}

// captureProfile asks the service child's net/http/pprof for a CPU profile
// as long as the measured run, saves it to path and renders its top 15.
func captureProfile(pprofAddr string, d time.Duration, path string) *profileResult {
	r := &profileResult{path: path}
	if pprofAddr == "" {
		r.err = fmt.Errorf("the service child serves no pprof")
		return r
	}
	secs := max(1, int(d/time.Second))
	c := &http.Client{Timeout: time.Duration(secs)*time.Second + 30*time.Second}
	resp, err := c.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, secs))
	if err != nil {
		r.err = err
		return r
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("pprof: status %d: %.200s", resp.StatusCode, b)
	}
	if err == nil {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil {
		r.err = err
		return r
	}
	out, err := exec.Command(goTool(), "tool", "pprof", "-top", "-nodecount=15", path).CombinedOutput()
	r.top = string(bytes.TrimSpace(out))
	if err != nil {
		r.err = fmt.Errorf("go tool pprof: %w", err)
		return r
	}
	traces, err := exec.Command(goTool(), "tool", "pprof", "-traces", path).Output()
	if err != nil {
		r.err = fmt.Errorf("go tool pprof -traces: %w", err)
		return r
	}
	r.breakdown(string(traces))
	return r
}

// Components a CPU sample is charged to.
const (
	catGC         = "GC background marking"
	catSyscall    = "syscalls: socket read/write, epoll (both sides)"
	catDecode     = "restclient: decoding the upstream JSON"
	catRestclient = "restclient: request building, retries, body reading"
	catHTTPClient = "net/http client transport"
	catDataloader = "dataloader"
	catGqlparser  = "gqlparser: parsing/validating the query, variables"
	catGenerated  = "gqlgen generated code: executing the selection (_Log, _LogConnection …)"
	catGqlHandler = "gqlgen handler/transport: request decoding, response encoding"
	catGqlRuntime = "gqlgen runtime: field sets, marshalers, per-element goroutines"
	catGraph      = "graph (ours): resolvers, paging, loaders, model scalars, middleware"
	catHTTPServer = "net/http server"
	catRuntime    = "runtime: scheduler, goroutines, other"
)

// leafPatterns are tried on each frame from the leaf up: the first frame
// that names a component gets the sample, so json.Unmarshal called by
// restclient is restclient's and mallocgc called by gqlgen is gqlgen's.
var leafPatterns = []struct{ substr, cat string }{
	{"gqlfacade/restclient.decode", catDecode}, // decodeJSON, decodeEnvelope, decodeMetadata
	{"gqlfacade/restclient.(*listLogsOut)", catDecode},
	{"gqlfacade/restclient.resultOut.decodeBody", catDecode},
	{"gqlfacade/restclient.(*wireLog)", catDecode},
	{"gqlfacade/restclient.(*wireResultInfo)", catDecode},
	{"gqlfacade/restclient.(*flexInt)", catDecode},
	{"gqlfacade/restclient.flexIntValue", catDecode},
	{"gqlfacade/restclient.parseCreatedAt", catDecode},
	{"goccy/go-json", catDecode},
	{"gqlfacade/restclient", catRestclient},
	{"graph-gophers/dataloader", catDataloader},
	{"vektah/gqlparser", catGqlparser},
	{"gqlfacade/graph/generated", catGenerated},
	{"99designs/gqlgen/graphql/handler", catGqlHandler},
	{"99designs/gqlgen", catGqlRuntime},
	{"gqlfacade/graph", catGraph},
	{"net/http.(*persistConn)", catHTTPClient},
	{"net/http.(*Transport)", catHTTPClient},
	{"net/http.(*conn)", catHTTPServer},
	{"net/http.(*response)", catHTTPServer},
	{"net/http.(*chunkWriter)", catHTTPServer},
	{"net/http.(*connReader)", catHTTPServer},
	{"net/http.readRequest", catHTTPServer},
}

// classify charges one sample's stack (leaf first) to a component. GC
// workers and syscalls are recognised anywhere in the stack first: their
// cost is the runtime's and the kernel's whoever asked.
func classify(stack []string) string {
	has := func(subs ...string) bool {
		for _, f := range stack {
			for _, s := range subs {
				if strings.Contains(f, s) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("runtime.gcBgMarkWorker"):
		return catGC
	case has("syscall.Syscall", "syscall.RawSyscall", "internal/runtime/syscall", "runtime.netpoll", "internal/poll."):
		return catSyscall
	}
	for _, f := range stack {
		for _, p := range leafPatterns {
			if strings.Contains(f, p.substr) {
				return p.cat
			}
		}
	}
	return catRuntime
}

// breakdown parses `go tool pprof -traces`: blocks of "value leaf" then
// one caller per line, separated by dashed lines.
func (r *profileResult) breakdown(traces string) {
	r.byCategory = map[string]time.Duration{}
	var value time.Duration
	var stack []string
	flush := func() {
		if len(stack) == 0 {
			return
		}
		r.byCategory[classify(stack)] += value
		r.total += value
		if slicesContains(stack, "runtime.mallocgc") && !slicesContains(stack, "runtime.gcBgMarkWorker") {
			r.malloc += value
		}
		stack = stack[:0]
	}
	for line := range strings.SplitSeq(traces, "\n") {
		if strings.HasPrefix(line, "-----------+") {
			flush()
			continue
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case len(stack) == 0 && len(f) >= 2 && startsWithDigit(f[0]):
			d, err := time.ParseDuration(f[0])
			if err != nil {
				continue
			}
			value = d
			stack = append(stack, strings.Join(f[1:], " "))
		case len(stack) > 0:
			stack = append(stack, strings.Join(f, " "))
		}
	}
	flush()
}

// breakdownRows are the categories, biggest first.
func (r *profileResult) breakdownRows() []string {
	cats := make([]string, 0, len(r.byCategory))
	for c := range r.byCategory {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return r.byCategory[cats[i]] > r.byCategory[cats[j]] })
	return cats
}

func slicesContains(stack []string, fn string) bool {
	for _, f := range stack {
		if f == fn || strings.HasPrefix(f, fn+" ") {
			return true
		}
	}
	return false
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
