package app

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/aigw/gqlfacade/breaker"
	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/ratebudget"
	"github.com/aigw/gqlfacade/restclient"
)

// upstreamClient builds the HTTP client every upstream call goes through
// (see upstreamTransport) over wire, or over the tuned network transport
// when wire is nil, and returns its rate budget (nil when off). close
// releases everything after shutdown.
func upstreamClient(wire http.RoundTripper, cfg Config, metrics *observe.Metrics, logger *slog.Logger) (hc *http.Client, budget *ratebudget.Transport, close func(), err error) {
	hc = restclient.NewHTTPClient(cfg.UpstreamConns)
	if wire != nil {
		hc.Transport = wire
	}
	rt, budget, closeRT, err := upstreamTransport(hc.Transport, cfg, metrics, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	hc.Transport = rt
	return hc, budget, closeRT, nil
}

// upstreamTransport wraps the network transport. From the wire outwards:
// metrics (every real exchange), the circuit breaker's recorder (the outcome
// of every real exchange), the rate budget (refuses or waits before the
// wire; shared in Redis when configured), the circuit breaker's gate
// (refuses at once, spending no token, while the upstream keeps failing),
// then tracing (one span per call, traceparent sent upstream).
func upstreamTransport(wire http.RoundTripper, cfg Config, metrics *observe.Metrics, logger *slog.Logger) (rt http.RoundTripper, budget *ratebudget.Transport, close func(), err error) {
	rt = metrics.Transport(wire, isRetry)
	closers := []func(){func() { closeIdle(wire) }}
	var breakers *breaker.Breakers
	if cfg.BreakerFailures > 0 {
		breakers, err = breaker.New(breaker.Options{
			Failures: cfg.BreakerFailures, Cooldown: cfg.BreakerCooldown,
			Logger: logger, Registerer: metrics.Registry(),
		})
		if err != nil {
			return nil, nil, nil, err
		}
		rt = breakers.Record(rt)
	}
	if limit := cfg.rateLimit(); limit > 0 {
		var rdb redis.UniversalClient
		if cfg.RedisURL != "" {
			opts, err := redis.ParseURL(cfg.RedisURL)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("REDIS_URL: %w", err)
			}
			// go-redis has one logger per process; the last service to
			// start with Redis owns it (in production: the only one).
			redis.SetLogger(redisLogger{logger})
			c := redis.NewClient(opts)
			rdb = c
			closers = append(closers, func() { _ = c.Close() })
		}
		budget, err = ratebudget.NewTransport(rt, ratebudget.Options{
			Limit: limit, Window: cfg.RateWindow, CacheTTL: cfg.cacheTTL(), CacheMaxBytes: cacheMaxBytes(cfg.memoryLimit()),
			Redis: rdb, Logger: logger, Registerer: metrics.Registry(), Now: cfg.Now,
			Scope: ratebudget.Scope(cfg.RateScope),
		})
		if err != nil {
			return nil, nil, nil, err
		}
		closers = append(closers, func() { _ = budget.Close() })
		rt = budget
	}
	if breakers != nil {
		rt = breakers.Gate(rt)
	}
	return observe.TraceTransport(rt), budget, func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}, nil
}

func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// isRetry tells the metrics which upstream attempts are retries: restclient
// numbers each attempt of a call in its request's context.
func isRetry(req *http.Request) bool { return restclient.Attempt(req.Context()) > 1 }
