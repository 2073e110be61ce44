package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graph/globalid"
)

// TestUpdateLog records feedback, score and metadata with one PATCH and
// answers with the log as the upstream now holds it.
func TestUpdateLog(t *testing.T) {
	e := newEnv(t)
	target := e.sim.Logs("staging")[7]
	id := globalid.Log(e.sim.AccountID(), "staging", target.ID)
	e.sim.ResetRequests()
	var r struct {
		UpdateLog struct {
			LogID    string
			Metadata map[string]any
		}
	}
	e.mustDo(`mutation($id: ID!) { updateLog(id: $id, feedback: 1, score: 87, metadata: {team: "search", priority: 2}) { logId metadata } }`,
		map[string]any{"id": id}, &r)
	reqs := e.sim.Requests()
	if len(reqs) != 2 || reqs[0].Method != "PATCH" {
		t.Fatalf("calls %v, want the PATCH then a read", e.calls())
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(reqs[0].Body), &sent); err != nil || sent["feedback"] != float64(1) || sent["score"] != float64(87) {
		t.Fatalf("PATCH body %q", reqs[0].Body)
	}
	if r.UpdateLog.LogID != target.ID || r.UpdateLog.Metadata["team"] != "search" {
		t.Fatalf("answer %+v", r.UpdateLog)
	}
	// The feedback is now visible to the feedback filter.
	var f struct {
		Logs struct{ Nodes []struct{ LogID string } }
	}
	e.mustDo(`query($id: String!) { logs(gatewayId: "staging", filter: {feedback: {eq: 1}, logId: {eq: $id}}) { nodes { logId } } }`, map[string]any{"id": target.ID}, &f)
	if len(f.Logs.Nodes) != 1 {
		t.Fatal("the feedback did not reach the upstream")
	}
}

// TestUpdateLogValidation: out-of-range input is refused before any call.
func TestUpdateLogValidation(t *testing.T) {
	e := newEnv(t)
	id := globalid.Log(e.sim.AccountID(), "staging", e.sim.Logs("staging")[0].ID)
	for _, q := range []string{
		`mutation($id: ID!) { updateLog(id: $id, feedback: 2) { logId } }`,
		`mutation($id: ID!) { updateLog(id: $id, score: 101) { logId } }`,
		`mutation($id: ID!) { updateLog(id: $id, score: -1) { logId } }`,
		`mutation($id: ID!) { updateLog(id: $id, metadata: {nested: {a: 1}}) { logId } }`,
		`mutation($id: ID!) { updateLog(id: $id, metadata: "text") { logId } }`,
		`mutation($id: ID!) { updateLog(id: $id) { logId } }`,
	} {
		e.sim.ResetRequests()
		expectCode(t, e.do(q, map[string]any{"id": id}, nil), "BAD_USER_INPUT")
		if n := e.sim.RequestCount(); n != 0 {
			t.Fatalf("%s: %d calls", q, n)
		}
	}
	expectCode(t, e.do(`mutation($id: ID!) { updateLog(id: $id, feedback: 1) { logId } }`,
		map[string]any{"id": globalid.Gateway(e.sim.AccountID(), "staging")}, nil), "BAD_USER_INPUT")
}

// TestUpdateLogWithAReadOnlyToken: a token with AI Gateway Read only is
// refused the change with FORBIDDEN naming the Write permission, and the
// log stays as it was.
func TestUpdateLogWithAReadOnlyToken(t *testing.T) {
	e := newEnv(t, withoutServerToken(), func(_ *graphConfig, o *cfsimOptions) { o.ReadOnlyTokens = []string{"reader"} })
	target := e.sim.Logs("staging")[3]
	id := globalid.Log(e.sim.AccountID(), "staging", target.ID)
	errs := e.do(`mutation($id: ID!) { updateLog(id: $id, score: 12) { logId } }`, map[string]any{"id": id}, nil, bearer("reader"))
	expectCode(t, errs, "FORBIDDEN")
	if !strings.Contains(errs[0].Message, "Write permission") {
		t.Fatalf("message %q does not say which permission is missing", errs[0].Message)
	}
	for _, l := range e.sim.Logs("staging") {
		if l.ID == target.ID && l.Score != nil {
			t.Fatal("the refused change was applied")
		}
	}
}

// TestUpdateLogNullClears: null (a literal, or a variable set to null)
// clears a member upstream; a member not given is left as it is.
func TestUpdateLogNullClears(t *testing.T) {
	e := newEnv(t)
	target := e.sim.Logs("staging")[5]
	id := globalid.Log(e.sim.AccountID(), "staging", target.ID)
	e.mustDo(`mutation($id: ID!) { updateLog(id: $id, feedback: 1, score: 87, metadata: {team: "search"}) { logId } }`, map[string]any{"id": id}, nil)
	stored := func() cfsim.Log {
		for _, l := range e.sim.Logs("staging") {
			if l.ID == target.ID {
				return l
			}
		}
		t.Fatal("log gone")
		return cfsim.Log{}
	}
	e.sim.ResetRequests()
	e.mustDo(`mutation($id: ID!, $m: JSON) { updateLog(id: $id, score: null, metadata: $m) { logId } }`, map[string]any{"id": id, "m": nil}, nil)
	reqs := e.sim.Requests()
	if len(reqs) == 0 || reqs[0].Method != "PATCH" {
		t.Fatalf("calls %v", e.calls())
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(reqs[0].Body), &sent); err != nil {
		t.Fatal(err)
	}
	if v, ok := sent["score"]; !ok || v != nil {
		t.Fatalf("PATCH body %s: score must be sent as null", reqs[0].Body)
	}
	if v, ok := sent["metadata"]; !ok || v != nil {
		t.Fatalf("PATCH body %s: metadata must be sent as null", reqs[0].Body)
	}
	if _, ok := sent["feedback"]; ok {
		t.Fatalf("PATCH body %s: feedback was not given and must not be sent", reqs[0].Body)
	}
	l := stored()
	if l.Score != nil || l.Metadata != nil || l.Feedback == nil || *l.Feedback != 1 {
		t.Fatalf("stored log: score %v, metadata %v, feedback %v; want the first two cleared, feedback kept", l.Score, l.Metadata, l.Feedback)
	}
	expectCode(t, e.do(`mutation($id: ID!) { updateLog(id: $id) { logId } }`, map[string]any{"id": id}, nil), "BAD_USER_INPUT")
}
