package app

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aigw/gqlfacade/observe"
	"github.com/aigw/gqlfacade/ratebudget"
	"github.com/aigw/gqlfacade/restclient"
	"github.com/aigw/gqlfacade/tail"
)

// newTail is the live tail behind Subscription.logAdded: its pollers call
// through the same client as queries, and wait for room in the caller's
// rate budget before each call (when there is a budget).
func newTail(cfg Config, client *restclient.Client, budget *ratebudget.Transport, metrics *observe.Metrics) *tail.Hub {
	polls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "gqlfacade", Subsystem: "tail", Name: "polls_total",
		Help: "Upstream calls of the live tail's pollers and catch-ups, by outcome: logs, empty, rate_limited, failed, ended.",
	}, []string{"outcome"})
	opts := tail.Options{
		Lister: client, MaxPerCredential: cfg.Streams.MaxPerCredential, QueueSize: cfg.Streams.Queue,
		MinInterval: cfg.Streams.MinInterval, MaxInterval: cfg.Streams.MaxInterval,
		CallTimeout: cfg.UpstreamTimeout, Now: cfg.Now,
		OnPoll: func(outcome string) { polls.WithLabelValues(outcome).Inc() },
	}
	if budget != nil {
		opts.Pacer = budgetPacer{budget}
	}
	hub := tail.New(opts)
	subscriptions := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gqlfacade", Subsystem: "tail", Name: "subscriptions",
		Help: "Subscriptions (logAdded) being served.",
	}, func() float64 { n, _ := hub.Stats(); return float64(n) })
	pollers := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "gqlfacade", Subsystem: "tail", Name: "pollers",
		Help: "Pollers running: one per credential, account, gateway and filter with subscribers.",
	}, func() float64 { _, n := hub.Stats(); return float64(n) })
	metrics.Registry().MustRegister(polls, subscriptions, pollers)
	return hub
}

// budgetPacer keeps the pollers within the credential's rate budget,
// leaving it room for queries.
type budgetPacer struct{ budget *ratebudget.Transport }

func (p budgetPacer) Wait(ctx context.Context, creds restclient.Credentials) error {
	return p.budget.WaitForHeadroom(ctx, creds.Header())
}
