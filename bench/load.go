package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// target is one kind of request the load generator repeats.
type target struct {
	method, url string
	more        []string // further URLs requested (GET) after url, in order, as one request of the load
	body        []byte   // nil for GET
	header      http.Header
	graphql     bool // a 200 carrying "errors" is a failure too
}

func restTarget(url string) target {
	return target{method: http.MethodGet, url: url, header: http.Header{}}
}

func graphqlTarget(url string, body []byte) target {
	return target{method: http.MethodPost, url: url, body: body, graphql: true,
		header: http.Header{"Content-Type": {"application/json"}}}
}

// callerToken is worker w's credential. Each closed-loop worker is a
// distinct caller, as the users of a real deployment are: the service
// makes one caller's identical concurrent calls one upstream call, which
// would turn 32 workers asking the same page into a few calls and measure
// coalescing instead of the cost of a request.
func callerToken(w int) string { return fmt.Sprintf("bench-caller-%d", w) }

// callerTokens are the credentials of workers 0…n−1, for cfsim to accept.
func callerTokens(n int) []string {
	out := make([]string, n)
	for w := range out {
		out[w] = callerToken(w)
	}
	return out
}

// forWorker is t as worker w sends it: with w's credential.
func (t target) forWorker(w int) target {
	t.header = t.header.Clone()
	t.header.Set("Authorization", "Bearer "+callerToken(w))
	return t
}

// do sends the request once, then each of t.more, and reads each whole
// answer into buf (the last one stays there).
func (t target) do(c *http.Client, buf *bytes.Buffer) error {
	if err := t.doOne(c, buf); err != nil {
		return err
	}
	for _, u := range t.more {
		next := t
		next.url, next.more = u, nil
		if err := next.doOne(c, buf); err != nil {
			return err
		}
	}
	return nil
}

func (t target) doOne(c *http.Client, buf *bytes.Buffer) error {
	var body io.Reader
	if t.body != nil {
		body = bytes.NewReader(t.body)
	}
	req, err := http.NewRequest(t.method, t.url, body)
	if err != nil {
		return err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	switch {
	case err != nil:
		return err
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, buf.Bytes())
	case t.graphql && bytes.Contains(buf.Bytes(), []byte(`"errors"`)):
		return fmt.Errorf("graphql errors: %.300s", buf.Bytes())
	}
	return nil
}

// loadResult is what one closed-loop run measured. lat holds the latency of
// every successful request, sorted, so percentiles are exact.
type loadResult struct {
	n, errs  int
	firstErr string
	elapsed  time.Duration
	lat      []time.Duration
}

func (r loadResult) rps() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.n) / r.elapsed.Seconds()
}

// pct is the nearest-rank percentile p (0 < p ≤ 100) of the latencies.
func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(r.lat)))) - 1
	return r.lat[max(0, min(i, len(r.lat)-1))]
}

// runLoad keeps `workers` requests in flight (each worker sends its next
// request as soon as its last one is answered) until dur has passed, then
// waits for the in-flight ones. Throughput is counted over that whole span.
func runLoad(c *http.Client, t target, workers int, dur time.Duration) loadResult {
	type workerResult struct {
		lat      []time.Duration
		errs     int
		firstErr error
	}
	results := make([]workerResult, workers)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := t.forWorker(w)
			var buf bytes.Buffer
			res := workerResult{lat: make([]time.Duration, 0, 4096)}
			for time.Now().Before(deadline) {
				t0 := time.Now()
				err := t.do(c, &buf)
				d := time.Since(t0)
				if err != nil {
					res.errs++
					if res.firstErr == nil {
						res.firstErr = err
					}
					continue
				}
				res.lat = append(res.lat, d)
			}
			results[w] = res
		}()
	}
	wg.Wait()
	out := loadResult{elapsed: time.Since(start)}
	for _, r := range results {
		out.lat = append(out.lat, r.lat...)
		out.errs += r.errs
		if r.firstErr != nil && out.firstErr == "" {
			out.firstErr = r.firstErr.Error()
		}
	}
	slices.Sort(out.lat)
	out.n = len(out.lat)
	return out
}

// newLoadClient is the load generator's client: keep-alive with a pool big
// enough that no worker ever opens a new connection after warm-up.
func newLoadClient(maxConc int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        2 * maxConc,
		MaxIdleConnsPerHost: 2 * maxConc,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}}
}
