package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/testenv"
)

// redisLogChild makes TestRedisLogsAreStructured run the service itself, in
// a child process whose whole stderr the parent reads: go-redis's default
// logger writes to the process's stderr directly, past any logger a test
// could hand the service.
const redisLogChild = "GQLFACADE_TEST_REDIS_LOG_CHILD"

// TestRedisLogsAreStructured: with Redis unreachable, what go-redis logs
// comes out as JSON lines through the service's logger, at warn level, and
// nothing on stderr is anything but JSON.
func TestRedisLogsAreStructured(t *testing.T) {
	if os.Getenv(redisLogChild) != "" {
		serveWithRedisDown(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRedisLogsAreStructured$", "-test.count=1", "-test.timeout=30s")
	cmd.Env = append(os.Environ(), redisLogChild+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, runErr := cmd.Output()
	fromRedis := 0
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("non-JSON line on stderr: %q (child: %v)", line, runErr)
		}
		if rec["component"] == "go-redis" {
			fromRedis++
			if rec["level"] != "WARN" || !strings.Contains(rec["msg"].(string), "redis") {
				t.Errorf("go-redis line %v, want level WARN and its message", rec)
			}
		}
	}
	if runErr != nil {
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", runErr, stdout, stderr.String())
	}
	if fromRedis == 0 {
		t.Fatalf("no go-redis line in the log:\n%s", stderr.String())
	}
}

// serveWithRedisDown runs the service as main does (JSON log on stderr)
// with REDIS_URL on a closed port, answers a query, and returns once
// go-redis has logged through slog; if it logs elsewhere, the child times
// out and the parent reports what it wrote.
func serveWithRedisDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.Close()
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 10})
	cfg := testConfig(t)
	cfg.APIBaseURL, cfg.APIToken, cfg.AccountID = base, cfsim.DemoToken, sim.AccountID()
	cfg.RateLimit, cfg.RedisURL = 100, "redis://"+ln.Addr().String()+"/0"

	logged := make(chan struct{})
	var once sync.Once
	stderr := writerFunc(func(p []byte) (int, error) {
		if bytes.Contains(p, []byte(`"component":"go-redis"`)) {
			once.Do(func() { close(logged) })
		}
		return os.Stderr.Write(p)
	})
	ctx, cancel := context.WithCancel(context.Background())
	ready, errc := make(chan string, 1), make(chan error, 1)
	go func() { errc <- run(ctx, cfg, slog.New(slog.NewJSONHandler(stderr, nil)), ready) }()
	addr := strings.Replace(<-ready, "[::]", "127.0.0.1", 1)
	if a := postQuery(t, "http://"+addr, `{ logs(gatewayId: "prod-chat", first: 1) { totalCount } }`, nil); len(a.Errors) > 0 {
		t.Errorf("with Redis down: %+v", a.Errors)
	}
	<-logged
	cancel()
	if err := <-errc; err != nil {
		t.Error(err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
