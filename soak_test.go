package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoak drives the demo server on loopback with 64 concurrent clients for
// SOAK_DURATION (e.g. 60s), then checks that there were no errors at all and
// that goroutines and memory come back to their baseline. It is not part of
// the default run:
//
//	SOAK_DURATION=60s go test -run TestSoak -v -timeout 5m .
func TestSoak(t *testing.T) {
	dur, err := time.ParseDuration(os.Getenv("SOAK_DURATION"))
	if err != nil {
		t.Skip("set SOAK_DURATION (e.g. 60s) to run the soak test")
	}
	const workers = 64
	baseG, baseRSS := settle()
	cfg := testConfig(t)
	cfg.Demo = true
	addr, stop := startServer(t, cfg)
	url := "http://" + addr + "/query"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 30 * time.Second}

	queries := []string{
		`{ logs(gatewayId: "prod-chat", first: 50) { totalCount nodes { logId createdAt provider model cost duration tokensIn tokensOut success cached } } }`,
		`{ a: logs(gatewayId: "staging", first: 20, filter: {provider: {in: ["openai", "anthropic"]}, cost: {gt: 0.0001}}) { nodes { logId } summary { maxCost } }
		   b: gateway(gatewayId: "batch-jobs") { logs(first: 120, orderBy: {field: MODEL, direction: ASC}) { edges { cursor node { model } } } } }`,
		`{ logs(gatewayId: "prod-chat", last: 7) { pageInfo { hasPreviousPage startCursor } nodes { id logId } } }`,
	}
	post := func(body string) (map[string]any, error) {
		resp, err := client.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if resp.StatusCode != 200 || out["errors"] != nil {
			return nil, fmt.Errorf("HTTP %d: %v", resp.StatusCode, out["errors"])
		}
		return out, nil
	}
	gqlBody := func(q string) string { b, _ := json.Marshal(map[string]any{"query": q}); return string(b) }

	if _, err := post(gqlBody(queries[0])); err != nil { // warm up
		t.Fatal(err)
	}
	client.CloseIdleConnections()

	var ok, failed atomic.Int64
	var firstErr atomic.Value
	var latencies [workers][]time.Duration
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				start := time.Now()
				_, err := post(gqlBody(queries[(w+i)%len(queries)]))
				if err == nil && i%5 == 0 { // follow a cursor, and refetch a node by id
					var page map[string]any
					if page, err = post(gqlBody(`{ logs(gatewayId: "prod-chat", last: 7) { nodes { id } pageInfo { startCursor } } }`)); err == nil {
						logs := page["data"].(map[string]any)["logs"].(map[string]any)
						cursor := logs["pageInfo"].(map[string]any)["startCursor"].(string)
						id := logs["nodes"].([]any)[0].(map[string]any)["id"].(string)
						b, _ := json.Marshal(map[string]any{
							"query":     `query($c: String, $id: ID!) { logs(gatewayId: "prod-chat", last: 7, before: $c) { nodes { logId } } node(id: $id) { id } }`,
							"variables": map[string]any{"c": cursor, "id": id},
						})
						_, err = post(string(b))
					}
				}
				latencies[w] = append(latencies[w], time.Since(start))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	client.CloseIdleConnections()
	loadG, loadRSS := settle()
	if path := os.Getenv("SOAK_HEAP_PROFILE"); path != "" { // where the memory that stays is
		if f, err := os.Create(path); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	endG, endRSS := settle()

	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	p50, p99 := percentile(all, 0.50), percentile(all, 0.99)
	t.Logf("soak %s at concurrency %d: %d requests ok, %d failed (%.0f req/s), p50 %s p99 %s",
		dur, workers, ok.Load(), failed.Load(), float64(ok.Load())/dur.Seconds(), p50, p99)
	t.Logf("goroutines: baseline %d, idle after load %d (pooled keep-alive connections), after shutdown %d", baseG, loadG, endG)
	t.Logf("RSS: baseline %.1f MB, after load %.1f MB, after shutdown %.1f MB", float64(baseRSS)/1e6, float64(loadRSS)/1e6, float64(endRSS)/1e6)
	if failed.Load() > 0 {
		t.Fatalf("%d requests failed; first: %v", failed.Load(), firstErr.Load())
	}
	if endG > baseG+5 {
		t.Fatalf("goroutines did not return to baseline: %d → %d", baseG, endG)
	}
	if endRSS > baseRSS+32<<20 {
		t.Fatalf("RSS did not return to baseline: %d → %d bytes", baseRSS, endRSS)
	}
}

// settle waits for background work to end and memory to be returned, then
// reads the goroutine count and the resident set size.
func settle() (goroutines int, rss int64) {
	for range 20 {
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
	}
	debug.FreeOSMemory()
	return runtime.NumGoroutine(), readRSS()
}

func readRSS() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := strings.Fields(string(line)); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
