package main

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/app"
)

func requestBody(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// TestLogAddedOverSSE: graphql-sse's distinct connections: an event
// stream of `next` events, each an execution result with its cursor, that
// goes on until the client closes it; resuming from a cursor gives what
// came meanwhile.
func TestLogAddedOverSSE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.APIToken = "" })
		resp := l.sse(requestBody(logAddedQuery, nil), bearer(cfsim.DemoToken))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("%d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		next := sseEvents(resp.Body)
		synctest.Wait()
		want := inOrder(l.appendNow("prod-chat", 2))
		var got []string
		var last result
		for range 2 {
			ev, err := next()
			if err != nil || ev.name != "next" {
				t.Fatalf("got %+v, %v; want a next event", ev, err)
			}
			if err := json.Unmarshal([]byte(ev.data), &last); err != nil {
				t.Fatal(err)
			}
			got = append(got, last.logID(t))
		}
		if !slices.Equal(got, want) || last.cursor() == "" {
			t.Fatalf("got %v (cursor %q), want %v with a cursor", got, last.cursor(), want)
		}
		_ = resp.Body.Close()
		synctest.Wait()
		if n := l.metric("gqlfacade_tail_subscriptions"); n != 0 {
			t.Fatalf("%v subscriptions left after the client closed its stream", n)
		}

		missed := inOrder(l.appendNow("prod-chat", 1))
		again := sseEvents(l.sse(requestBody(logAddedQuery, map[string]any{"after": last.cursor()}), bearer(cfsim.DemoToken)).Body)
		ev, _ := again()
		var r result
		_ = json.Unmarshal([]byte(ev.data), &r)
		if id := r.logID(t); id != missed[0] {
			t.Fatalf("resumed with %s, want %s", id, missed[0])
		}
	})
}

// TestSSERefusals: without a credential the stream is refused with 401
// before anything runs; a body that is not one JSON object with 400; a
// request whose Accept lists text/event-stream last (urql's, with every
// query) gets a plain JSON answer; a subscription sent as a plain POST is
// told to use a stream.
func TestSSERefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, func(c *app.Config) { c.APIToken = "" })
		for _, tc := range []struct {
			name   string
			header http.Header
			body   string
			status int
			code   string
		}{
			{"no credential", nil, requestBody(logAddedQuery, nil), http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"an empty credential", http.Header{"Authorization": {""}}, requestBody(logAddedQuery, nil), http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"two query members", bearer(cfsim.DemoToken), `{"query":"subscription { __typename }","query":"x"}`, http.StatusBadRequest, "BAD_USER_INPUT"},
			{"not JSON", bearer(cfsim.DemoToken), `{`, http.StatusBadRequest, "BAD_USER_INPUT"},
		} {
			resp := l.sse(tc.body, tc.header)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.code) {
				t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, b, tc.status, tc.code)
			}
		}
		if n := l.sim.RequestCount(); n != 0 {
			t.Fatalf("%d upstream calls", n)
		}

		post := func(accept, query string) (int, string, string) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://service.test/query", strings.NewReader(requestBody(query, nil)))
			req.Header = bearer(cfsim.DemoToken)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", accept)
			resp, err := (&http.Client{Transport: l.rt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
		}
		urql := "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"
		if status, ct, body := post(urql, `{ logs(gatewayId: "prod-chat", first: 1) { nodes { logId } } }`); status != 200 || !strings.HasPrefix(ct, "application/graphql-response+json") || !strings.Contains(body, "logId") {
			t.Fatalf("urql's query: %d %s %s, want a JSON answer", status, ct, body)
		}
		if status, _, body := post("application/json", logAddedQuery); status != http.StatusBadRequest || !strings.Contains(body, "needs a stream") {
			t.Fatalf("a subscription as a plain POST: %d %s", status, body)
		}
	})
}

// TestSSEWriteTimeout: a client that stops reading its stream is cut off
// within the stream write timeout, and its subscription ends with it.
func TestSSEWriteTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLive(t, cfsim.Options{}, nil)
		resp := l.sse(requestBody(logAddedQuery, nil), nil)
		synctest.Wait()
		l.appendNow("prod-chat", 50) // more than the pipe holds: the writes block
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := l.metric("gqlfacade_tail_subscriptions"); n != 0 {
			t.Fatalf("%v subscriptions left a minute after the client stopped reading", n)
		}
		_ = resp.Body.Close()
	})
}
