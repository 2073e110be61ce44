// Package cfsim is a faithful simulated Cloudflare AI Gateway logs API: a real
// http.Handler over a deterministic generated data set. It is the upstream of
// `go run . -demo` and of most tests, so it follows the upstream contract as
// ../shared/upstream/FACTS.md describes it (validation, 50-item pages, JSON
// `filters`, error envelopes), and offers knobs (live traffic, latency,
// faults, a request log) that tests use to assert exactly which calls were made.
package cfsim
