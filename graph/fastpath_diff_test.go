package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph"
	"github.com/aigw/gqlfacade/internal/testenv"
	"github.com/aigw/gqlfacade/restclient"
)

// diffEnv runs each operation twice over the same upstream data: through
// the service's handler (the fast path in front of gqlgen) and through the
// same handler without the fast path (gqlgen's generated executor alone).
type diffEnv struct {
	fast, gqlgen http.Handler
	served       func() uint64
	names        schemaNames
}

func newDiffEnv(t testing.TB) *diffEnv {
	t.Helper()
	sim, base := testenv.Upstream(t, cfsim.Options{LogsPerGateway: 300})
	// batch-jobs always fails: the field that asks for it is an upstream
	// error (after restclient's retries), its siblings answer.
	sim.InjectFault(cfsim.Fault{Kind: cfsim.FaultServerError, Status: http.StatusServiceUnavailable, Times: 1 << 30, Gateway: "batch-jobs"})
	rc := testenv.Client(t, base, restclient.Options{MaxBackoff: time.Millisecond})
	cfg := graph.DefaultConfig()
	cfg.ServerToken, cfg.DefaultAccountID = cfsim.DemoToken, sim.AccountID()
	now := time.Now()
	r := &graph.Resolver{Upstream: &sameAnswers{Client: rc}, Config: cfg, Now: func() time.Time { return now }}
	fast, served := graph.NewHandlerServed(r)
	e := &diffEnv{fast: fast, gqlgen: graph.NewGqlgenHandler(r), served: served, names: namesFromSchema()}
	e.oddMetadata(t)
	return e
}

// oddMetadata gives a few of the newest logs metadata that exercises how
// JSON is written: escapes, control characters, HTML characters, numbers.
func (e *diffEnv) oddMetadata(t testing.TB) {
	t.Helper()
	var ids struct {
		Data struct {
			Logs struct{ Nodes []struct{ ID string } }
		}
	}
	_, b := e.run(`{ logs(gatewayId: "prod-chat", first: 9) { nodes { id } } }`, nil, e.fast)
	if err := json.Unmarshal(body(b), &ids); err != nil || len(ids.Data.Logs.Nodes) < 3 {
		t.Fatalf("ids: %v %s", err, b)
	}
	metas := []map[string]any{
		{"q": "a \"quoted\" back\\slash\nnew\ttab\u0001ctl <a&b> é 𝄞 \u2028"},
		{"n": 1e21, "f": 0.1, "i": -7, "b": true},
		{"": "", "z": "last", "a": "first"},
	}
	for i, m := range metas {
		status, out := e.run(`mutation($id: ID!, $m: JSON) { updateLog(id: $id, metadata: $m) { logId } }`,
			map[string]any{"id": ids.Data.Logs.Nodes[3*i].ID, "m": m}, e.fast)
		if status != http.StatusOK || bytes.Contains(out, []byte(`"errors"`)) {
			t.Fatalf("updateLog: %d %s", status, out)
		}
	}
}

// run posts the query and returns the status, and the Content-Type and
// body on two lines.
func (e *diffEnv) run(query string, vars map[string]any, h http.Handler) (int, []byte) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, append([]byte(rec.Header().Get("Content-Type")+"\n"), rec.Body.Bytes()...)
}

// body is the body of an answer run returned.
func body(answer []byte) []byte {
	_, b, _ := bytes.Cut(answer, []byte("\n"))
	return b
}

// compare runs op with each of its variable sets through both executors
// and reports the first difference.
func (e *diffEnv) compare(op genOp) (ranFast int, withErrors int, err error) {
	for _, vars := range op.varSets {
		before := e.served()
		fs, fast := e.run(op.doc, vars, e.fast)
		ranFast += int(e.served() - before)
		gs, slow := e.run(op.doc, vars, e.gqlgen)
		if fs != gs || !bytes.Equal(fast, slow) {
			return ranFast, withErrors, fmt.Errorf("%s\nvariables %v\nfast path (%d):\n%s\ngqlgen (%d):\n%s", op.doc, vars, fs, fast, gs, slow)
		}
		if bytes.Contains(fast, []byte(`"errors"`)) {
			withErrors++
		}
	}
	return ranFast, withErrors, nil
}

// TestFastPathAnswersAsGqlgen generates operations over the logs
// connection and holds the fast path's answer to gqlgen's, byte for byte
// (status and Content-Type too), for the same operation and upstream data.
func TestFastPathAnswersAsGqlgen(t *testing.T) {
	ops := 2000
	if testing.Short() {
		ops = 200
	}
	e := newDiffEnv(t)
	runs, ranFast, withErrors := 0, 0, 0
	for seed := range uint64(ops) {
		op := generate(seed, e.names)
		f, w, err := e.compare(op)
		if err != nil {
			t.Fatalf("operation %d answers differently:\n%v", seed, err)
		}
		runs += len(op.varSets)
		ranFast += f
		withErrors += w
	}
	t.Logf("%d operations, %d runs: %d on the fast path, %d with errors", ops, runs, ranFast, withErrors)
	// The generator must reach both executors and the error paths, or the
	// comparison says little.
	if ranFast < runs/2 || ranFast == runs || withErrors < runs/20 {
		t.Errorf("%d of %d runs on the fast path, %d with errors: the generator no longer covers what it should", ranFast, runs, withErrors)
	}
}

// FuzzFastPathAnswersAsGqlgen is the same comparison over the generator's
// seeds.
func FuzzFastPathAnswersAsGqlgen(f *testing.F) {
	for _, s := range []uint64{0, 1, 2, 3, 42, 1 << 40} {
		f.Add(s)
	}
	e := newDiffEnv(f)
	f.Fuzz(func(t *testing.T, seed uint64) {
		if _, _, err := e.compare(generate(seed, e.names)); err != nil {
			t.Fatal(err)
		}
	})
}

// sameAnswers makes each distinct upstream list call once and gives every
// later caller the same answer (or error), so that both executors render
// the very same upstream data, and thousands of operations stay quick.
type sameAnswers struct {
	*restclient.Client
	mu   sync.Mutex
	seen map[string]*listAnswer
}

type listAnswer struct {
	once sync.Once
	page *restclient.LogPage
	err  error
}

func (u *sameAnswers) ListLogs(ctx context.Context, creds restclient.Credentials, accountID, gatewayID string, p restclient.ListLogsParams) (*restclient.LogPage, error) {
	enc, err := p.Encode()
	if err != nil {
		return u.Client.ListLogs(ctx, creds, accountID, gatewayID, p)
	}
	key := strings.Join([]string{creds.Token, accountID, gatewayID, enc}, "\x00")
	u.mu.Lock()
	if u.seen == nil {
		u.seen = map[string]*listAnswer{}
	}
	a := u.seen[key]
	if a == nil {
		a = &listAnswer{}
		u.seen[key] = a
	}
	u.mu.Unlock()
	a.once.Do(func() { a.page, a.err = u.Client.ListLogs(context.WithoutCancel(ctx), creds, accountID, gatewayID, p) })
	return a.page, a.err
}
