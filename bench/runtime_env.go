package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aigw/gqlfacade/internal/app"
)

// serviceConfig is the service as it ships, over cfsim at upstream, with
// one setting changed: the rate budget's limit, raised so that it is in the
// chain (and costs what it costs) but never refuses or waits — the load is
// thousands of calls a second from one credential.
func serviceConfig(upstream, account string) app.Config {
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = upstream+"/client/v4", account, cfsimToken()
	cfg.RateLimit, cfg.RateWindow = math.MaxInt32, time.Second
	return cfg
}

// serviceEnv turns -service-env into environment entries for the service
// child: they override the server's own GC defaults (app.TuneRuntime), as
// GOGC and GOMEMLIMIT do for the server.
func serviceEnv(spec string) []string { return strings.Fields(spec) }

// gcSettings describes the GC settings in effect in this process.
func gcSettings() string {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	gogc := fmt.Sprint(percent)
	if percent < 0 {
		gogc = "off"
	}
	limit := debug.SetMemoryLimit(-1)
	memlimit := "off"
	if limit != math.MaxInt64 {
		memlimit = fmt.Sprintf("%dMiB", limit>>20)
	}
	return "GOGC=" + gogc + ",GOMEMLIMIT=" + memlimit
}
