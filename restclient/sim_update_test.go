package restclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// Update Log (PATCH), round-tripped through cfsim.

func TestSimUpdateLog(t *testing.T) {
	e := newSimEnv(t, 200, restclient.Options{})
	ctx := context.Background()
	l := e.sim.Logs(e.gw)[5]
	u := restclient.LogUpdate{
		Feedback: ptrTo(-0.5), Score: ptrTo(72.0),
		Metadata: map[string]any{"user": "u-7", "attempt": 2, "beta": true, "ratio": 0.25},
	}
	r := oneRequest(t, e, func() error { return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, u) })
	if r.Method != http.MethodPatch || r.LogID != l.ID || r.Status != 200 || !strings.HasSuffix(r.Path, "/logs/"+l.ID) {
		t.Fatalf("request %+v", r)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(r.Body), &sent); err != nil {
		t.Fatalf("body %q: %v", r.Body, err)
	}
	want := map[string]any{"feedback": -0.5, "score": 72.0,
		"metadata": map[string]any{"user": "u-7", "attempt": 2.0, "beta": true, "ratio": 0.25}}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("sent %s", r.Body)
	}

	// GET shows the change; the feedback filter finds it.
	d, err := e.c.GetLog(ctx, e.creds, e.acct, e.gw, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Metadata == nil || *d.Metadata != `{"attempt":2,"beta":true,"ratio":0.25,"user":"u-7"}` {
		t.Errorf("metadata after PATCH: %v", d.Metadata)
	}
	page := e.list(t, restclient.ListLogsParams{Filters: []restclient.Filter{{Key: restclient.KeyFeedback, Operator: restclient.OpEq, Values: []any{-0.5}}}})
	if len(page.Logs) != 1 || page.Logs[0].ID != l.ID {
		t.Errorf("feedback = -0.5 finds %d logs", len(page.Logs))
	}
	stored := e.sim.Logs(e.gw)[5]
	if stored.Score == nil || *stored.Score != 72 || stored.Feedback == nil || *stored.Feedback != -0.5 {
		t.Errorf("stored score %v feedback %v", stored.Score, stored.Feedback)
	}

	// Only what is set is sent; an empty Metadata map is sent as {}.
	r = oneRequest(t, e, func() error {
		return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, restclient.LogUpdate{Metadata: map[string]any{}})
	})
	if r.Body != `{"metadata":{}}` {
		t.Errorf("sent %s", r.Body)
	}
	r = oneRequest(t, e, func() error {
		return e.c.UpdateLog(ctx, e.creds, e.acct, e.gw, l.ID, restclient.LogUpdate{Feedback: ptrTo(1.0)})
	})
	if r.Body != `{"feedback":1}` {
		t.Errorf("sent %s", r.Body)
	}
	stored = e.sim.Logs(e.gw)[5]
	if *stored.Feedback != 1 || *stored.Score != 72 || *stored.Metadata != `{}` {
		t.Errorf("stored after partial updates: %v %v %v", *stored.Feedback, *stored.Score, *stored.Metadata)
	}
}

func ptrTo[T any](v T) *T { return &v }
