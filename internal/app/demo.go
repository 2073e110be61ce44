package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
)

// startDemoUpstream serves the simulated upstream on a loopback port of
// this process, with logs arriving live, and points cfg at it.
func startDemoUpstream(ctx context.Context, cfg *Config, logger *slog.Logger) (func(), error) {
	sim := cfsim.New(cfsim.Options{MaxRecordedRequests: 1000}) // the demo runs for long: keep its request log small
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stopTraffic := sim.StartTraffic(ctx, 2*time.Second, 1)
	cfg.APIBaseURL = "http://" + ln.Addr().String() + "/client/v4"
	cfg.AccountID = sim.AccountID()
	if cfg.APIToken == "" {
		cfg.APIToken = cfsim.DemoToken
	}
	logger.Info("demo upstream", "url", cfg.APIBaseURL, "gateways", sim.Gateways())
	return func() { stopTraffic(); _ = srv.Close() }, nil
}
