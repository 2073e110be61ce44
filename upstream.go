package main

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/ratebudget"
	"github.com/aigw/gqlfacade/restclient"
)

// upstreamClient builds the HTTP client every upstream call goes through.
// From the wire outwards: the tuned transport, metrics (every real
// exchange), the rate budget (refuses or waits before the wire; shared in
// Redis when configured), then tracing (one span per call, traceparent
// sent upstream). close releases everything after shutdown.
func upstreamClient(cfg config, metrics *observe.Metrics, logger *slog.Logger) (hc *http.Client, close func(), err error) {
	hc = restclient.NewHTTPClient(cfg.UpstreamConns)
	var rt http.RoundTripper = metrics.Transport(hc.Transport)
	closers := []func(){hc.CloseIdleConnections}
	if limit := cfg.rateLimit(); limit > 0 {
		var rdb redis.UniversalClient
		if cfg.RedisURL != "" {
			opts, err := redis.ParseURL(cfg.RedisURL)
			if err != nil {
				return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
			}
			c := redis.NewClient(opts)
			rdb = c
			closers = append(closers, func() { _ = c.Close() })
		}
		budget, err := ratebudget.NewTransport(rt, ratebudget.Options{
			Limit: limit, Window: cfg.RateWindow, CacheTTL: cfg.cacheTTL(),
			Redis: rdb, Logger: logger, Registerer: metrics.Registry(), Now: cfg.now,
		})
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { _ = budget.Close() })
		rt = budget
	}
	hc.Transport = observe.TraceTransport(rt)
	return hc, func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}, nil
}
