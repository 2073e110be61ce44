package main

// Allocation benchmarks (scenario 5). Everything runs in one process, so a
// benchmark's allocs/op counts cfsim and both ends of the loopback HTTP
// too. Three layers, each adding one thing to the one before, let the
// report split the total:
//
//	BenchmarkUpstreamFloor50    cfsim + HTTP client: the service's exact upstream call, body discarded
//	BenchmarkRestclientPage50   … + restclient (request building, envelope and log decoding)
//	BenchmarkLogsPage50         … + the service as app.New builds it (the whole /query route)
//	BenchmarkLogsWindow200      the same route for first: 200 (four upstream pages)
//
// The benchmarks check every answer: an answer with "errors" (a refusal by
// the rate budget, say) costs far less than a page and would flatter it.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/apptest"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

type benchStack struct {
	sim     *cfsim.Server
	root    string // cfsim's root URL, e.g. http://127.0.0.1:41234
	rc      *restclient.Client
	handler http.Handler
}

func newBenchStack(b *testing.B) *benchStack {
	b.Helper()
	sim, base := testenv.Upstream(b, simOptions(2500, nil)) // as the harness's cfsim
	root := strings.TrimSuffix(base, testenv.APIPath)
	service := apptest.New(b, sim, base, func(c *app.Config) { *c = serviceConfig(root, sim.AccountID()) }, app.Options{})
	return &benchStack{sim: sim, root: root, rc: testenv.Client(b, base, restclient.Options{}), handler: service.Handler()}
}

func (s *benchStack) serve(body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

// page50Call runs the 50-log query once, checks it, and returns the one
// upstream request it made, so the lower layers can repeat exactly that.
func (s *benchStack) page50Call(b *testing.B) cfsim.Request {
	b.Helper()
	s.sim.ResetRequests()
	rec := s.serve(gqlBody(logsQuery(50), nil))
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `"logId"`) != 50 || strings.Contains(rec.Body.String(), `"errors"`) {
		b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
	}
	reqs := s.sim.Requests()
	if len(reqs) != 1 {
		b.Fatalf("%d upstream calls, want 1", len(reqs))
	}
	s.sim.ResetRequests()
	return reqs[0]
}

// forget keeps cfsim's request log short; it costs the same in every layer.
func (s *benchStack) forget(i *int) {
	if *i++; *i%1024 == 0 {
		s.sim.ResetRequests()
	}
}

func BenchmarkLogsPage50(b *testing.B) {
	s := newBenchStack(b)
	s.page50Call(b)
	s.benchQuery(b, logsQuery(50))
}

func BenchmarkLogsWindow200(b *testing.B) {
	s := newBenchStack(b)
	s.benchQuery(b, logsQuery(windowSize))
}

// benchQuery serves the query in a loop, checking that each answer has
// data and no errors (a cheap scan next to a request).
func (s *benchStack) benchQuery(b *testing.B, query string) {
	body := gqlBody(query, nil)
	if rec := s.serve(body); strings.Count(rec.Body.String(), `"logId"`) == 0 {
		b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
	}
	errs := []byte(`"errors"`)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if rec := s.serve(body); rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), errs) {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
		s.forget(&i)
	}
}

func BenchmarkRestclientPage50(b *testing.B) {
	s := newBenchStack(b)
	call := s.page50Call(b)
	p := paramsOf(b, call)
	creds := restclient.Credentials{Token: cfsim.DemoToken}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		page, err := s.rc.ListLogs(ctx, creds, call.AccountID, call.GatewayID, p)
		if err != nil || len(page.Logs) != 50 {
			b.Fatalf("%v (%d logs)", err, len(page.Logs))
		}
		s.forget(&i)
	}
}

func BenchmarkUpstreamFloor50(b *testing.B) {
	s := newBenchStack(b)
	call := s.page50Call(b)
	url := s.root + call.Path + "?" + call.RawQuery
	hc := restclient.NewHTTPClient(0) // the transport restclient uses
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+cfsim.DemoToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		s.forget(&i)
	}
}

// paramsOf rebuilds the restclient params of a recorded call, and checks
// they encode to the very same query string.
func paramsOf(b *testing.B, call cfsim.Request) restclient.ListLogsParams {
	b.Helper()
	q := call.Query
	p := restclient.ListLogsParams{
		Page: 1, PerPage: 50,
		OrderBy:   restclient.OrderBy(q.Get("order_by")),
		Direction: restclient.Direction(q.Get("order_by_direction")),
		Search:    q.Get("search"),
		MetaInfo:  q.Get("meta_info") == "true",
	}
	if raw := q.Get("filters"); raw != "" {
		var fs []cfsim.Filter
		if err := json.Unmarshal([]byte(raw), &fs); err != nil {
			b.Fatal(err)
		}
		for _, f := range fs {
			p.Filters = append(p.Filters, restclient.Filter{Key: restclient.FilterKey(f.Key), Operator: restclient.Operator(f.Operator), Values: f.Value})
		}
	}
	enc, err := p.Encode()
	if err != nil {
		b.Fatal(err)
	}
	if enc != call.RawQuery {
		b.Fatalf("rebuilt params encode to\n%s\nbut the service sent\n%s", enc, call.RawQuery)
	}
	return p
}
