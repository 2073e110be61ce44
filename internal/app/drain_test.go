package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/observe"
)

// TestOversizedBodyIsAnsweredNotReset: a client that writes its whole body
// before it reads the answer — as a browser's fetch or Python's urllib
// does — reads the 413 BAD_USER_INPUT for a body over -max-body-bytes,
// with Content-Length or chunked, instead of having its connection reset
// while it is still writing. The service runs as it ships, on a loopback
// listener; the client writes raw HTTP/1.1.
func TestOversizedBodyIsAnsweredNotReset(t *testing.T) {
	sim := cfsim.New(cfsim.Options{LogsPerGateway: 10})
	upstream := httptest.NewServer(sim)
	defer upstream.Close()
	cfg := Defaults()
	cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = upstream.URL+"/client/v4", sim.AccountID(), cfsim.DemoToken
	service, err := New(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := service.Server()
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	// Well over what the socket buffers on both sides hold (the client's is
	// set small, as a long network path holds little more than its window),
	// so that the client is still writing when the answer is ready; within
	// what the service drains.
	const size = 3 << 20
	if size <= cfg.MaxBodyBytes || size > drainMaxBytes {
		t.Fatalf("the body must be over the limit (%d) and within the drain (%d)", cfg.MaxBodyBytes, drainMaxBytes)
	}
	body := `{"query": "{ __typename }", "extensions": {"pad": "` + strings.Repeat("x", size) + `"}}`
	for _, framing := range []string{"Content-Length", "chunked"} {
		t.Run(framing, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := conn.(*net.TCPConn).SetWriteBuffer(64 << 10); err != nil {
				t.Fatal(err)
			}
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a bound for a hung test, not a timing
			var req strings.Builder
			req.WriteString("POST /query HTTP/1.1\r\nHost: gqlfacade\r\nContent-Type: application/json\r\nAccept: application/graphql-response+json\r\n")
			if framing == "chunked" {
				req.WriteString("Transfer-Encoding: chunked\r\n\r\n")
				for rest := body; rest != ""; {
					n := min(len(rest), 64<<10)
					fmt.Fprintf(&req, "%x\r\n%s\r\n", n, rest[:n])
					rest = rest[n:]
				}
				req.WriteString("0\r\n\r\n")
			} else {
				fmt.Fprintf(&req, "Content-Length: %d\r\n\r\n%s", len(body), body)
			}
			if _, err := io.WriteString(conn, req.String()); err != nil {
				t.Fatalf("writing the request: %v", err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			defer resp.Body.Close()
			var answer struct {
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
				t.Fatalf("reading the answer's body: %v", err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge || len(answer.Errors) != 1 || answer.Errors[0].Extensions["code"] != graph.CodeBadUserInput {
				t.Fatalf("answer %d %+v, want 413 with BAD_USER_INPUT", resp.StatusCode, answer)
			}
		})
	}
}

// TestDrainHoldsNoPlace: the rest of a refused body is read once the
// request has given back its place under -max-in-flight, so that a client
// slow to send it keeps no other request out: with one place, a request
// made while the refused body is being read is served.
func TestDrainHoldsNoPlace(t *testing.T) {
	cfg := Defaults()
	cfg.MaxInFlight = 1
	refuseUnread := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > cfg.MaxBodyBytes {
			w.WriteHeader(http.StatusRequestEntityTooLarge) // as the body limit does: the body is not read
		}
	})
	h := chain(refuseUnread, queryMiddleware(cfg, observe.NewMetrics())...)

	var during *httptest.ResponseRecorder
	body := &onRead{read: func() {
		if during == nil {
			during = httptest.NewRecorder()
			h.ServeHTTP(during, httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{}`)))
		}
	}}
	req := httptest.NewRequest(http.MethodPost, "/query", body)
	req.ContentLength = cfg.MaxBodyBytes + 1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("the oversized request: %d, want 413", rec.Code)
	}
	if during == nil {
		t.Fatal("the refused body was not read after its answer")
	}
	if during.Code != http.StatusOK {
		t.Fatalf("a request made while the refused body was read: %d %s, want 200", during.Code, during.Body.String())
	}
}

// onRead is a body that calls read on each read, then ends.
type onRead struct{ read func() }

func (b *onRead) Read([]byte) (int, error) {
	b.read()
	return 0, io.EOF
}
