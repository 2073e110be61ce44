package main

// The proxy and the service each run in a child process of this binary
// (`bench -role proxy|service ...`) so that /proc/<pid>/stat charges each
// one exactly its own CPU time, apart from cfsim and the load generator,
// which stay in the parent.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	_ "net/http/pprof" // registers on http.DefaultServeMux, served only on the -pprof listener
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

func cfsimToken() string { return cfsim.DemoToken }

// childFlags are the flags of the child roles.
type childFlags struct {
	role     string
	upstream string // cfsim's root URL, e.g. http://127.0.0.1:41234
	account  string
	port     int
	pprof    bool
	env      []string // added to the child's environment (parent side only)
}

// runChild serves the role on 127.0.0.1, reports "ready addr=… pprof=…" on
// stdout, and exits when stdin closes: the parent closes it when done, and
// the kernel closes it when the parent dies, so no child outlives a run.
func runChild(f childFlags) error {
	up, err := url.Parse(f.upstream)
	if err != nil || up.Host == "" {
		return fmt.Errorf("-upstream %q: want http://host:port", f.upstream)
	}
	var h http.Handler
	switch f.role {
	case "proxy":
		h = newFloorProxy(up)
	case "service":
		app.TuneRuntime() // as the server's main does
		service, err := app.New(context.Background(), serviceConfig(f.upstream, f.account), app.Options{
			// The request log is written as in production, to nowhere.
			Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		})
		if err != nil {
			return err
		}
		defer service.Close()
		h = service.Handler()
	default:
		return fmt.Errorf("unknown -role %q", f.role)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", f.port))
	if err != nil {
		return err
	}
	go func() { _ = (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(ln) }()
	pprofAddr := "-"
	if f.pprof {
		pl, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() {
			_ = (&http.Server{Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}).Serve(pl)
		}()
		pprofAddr = pl.Addr().String()
	}
	fmt.Printf("ready addr=%s pprof=%s gc=%s\n", ln.Addr(), pprofAddr, gcSettings())
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// newFloorProxy is the floor: it forwards bytes and parses nothing beyond
// HTTP. Its pool is sized so that it never reconnects under load (the
// default of two idle connections per host would make it pay dials at c=32
// and flatter the service).
func newFloorProxy(up *url.URL) http.Handler {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 1024, 1024
	tr.DisableCompression = true
	return &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(up) },
		Transport: tr,
	}
}

// child is a running child process as the parent sees it.
type child struct {
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	addr      string // host:port of its HTTP listener
	pprofAddr string // "" unless started with -pprof
	gc        string // the child's GC settings in effect, e.g. GOGC=200,GOMEMLIMIT=48MiB
	done      chan struct{}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func startChild(f childFlags) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-role", f.role, "-upstream", f.upstream, "-account", f.account, fmt.Sprintf("-port=%d", f.port)}
	if f.pprof {
		args = append(args, "-pprof")
	}
	cmd := exec.Command(exe, args...)
	if len(f.env) > 0 {
		cmd.Env = append(os.Environ(), f.env...)
	}
	cmd.Stderr = os.Stderr
	// Belt and braces besides stdin: the child is killed with the parent.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "ready ")
			if !ok {
				continue
			}
			for kv := range strings.FieldsSeq(line) {
				k, v, _ := strings.Cut(kv, "=")
				switch {
				case k == "addr":
					c.addr = v
				case k == "pprof" && v != "-":
					c.pprofAddr = v
				case k == "gc":
					c.gc = v
				}
			}
			ready <- nil
			_, _ = io.Copy(io.Discard, stdout)
			return
		}
		ready <- errors.New("child exited before it was ready")
	}()
	go func() { _ = cmd.Wait(); close(c.done) }()
	select {
	case err := <-ready:
		if err != nil {
			c.stop()
			return nil, fmt.Errorf("%s: %w", f.role, err)
		}
	case <-time.After(30 * time.Second):
		c.stop()
		return nil, fmt.Errorf("%s: not ready after 30s", f.role)
	}
	return c, nil
}

// stop closes the child's stdin (its signal to exit) and kills it if it
// has not exited a few seconds later.
func (c *child) stop() {
	_ = c.stdin.Close()
	select {
	case <-c.done:
	case <-time.After(3 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}
