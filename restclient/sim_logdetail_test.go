package restclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// Get Log and the log bodies, round-tripped through cfsim.

// pickLog picks an old log of the env's gateway (its response_head is
// filled in) whose response was streamed when stream is set.
func pickLog(t *testing.T, e *simEnv, stream bool) cfsim.Log {
	t.Helper()
	for _, l := range e.sim.Logs(e.gw) {
		if json.Valid([]byte(l.ResponseBody)) != stream {
			return l
		}
	}
	t.Fatalf("no log with stream=%v", stream)
	return cfsim.Log{}
}

func TestSimGetLog(t *testing.T) {
	e := newSimEnv(t, 300, restclient.Options{})
	ctx := context.Background()
	// The list answer is the reference for the list fields (its decoding is
	// tested against the simulator elsewhere).
	page := e.list(t, restclient.ListLogsParams{PerPage: 50})
	simLogs := map[string]cfsim.Log{}
	for _, l := range e.sim.Logs(e.gw) {
		simLogs[l.ID] = l
	}
	for _, l := range page.Logs {
		var d *restclient.LogDetail
		r := oneRequest(t, e, func() (err error) {
			d, err = e.c.GetLog(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if r.LogID != l.ID || r.Method != http.MethodGet {
			t.Fatalf("request %+v", r)
		}
		if !reflect.DeepEqual(d.Log, l) {
			t.Fatalf("detail list fields differ:\n got %+v\nwant %+v", d.Log, l)
		}
		s := simLogs[l.ID]
		if d.RequestHead == nil || *d.RequestHead != s.RequestHead || d.ResponseHead == nil || *d.ResponseHead != s.ResponseHead ||
			d.RequestHeadComplete == nil || *d.RequestHeadComplete != s.RequestHeadComplete ||
			d.ResponseHeadComplete == nil || *d.ResponseHeadComplete != s.ResponseHeadComplete ||
			d.RequestSize == nil || *d.RequestSize != s.RequestSize || d.ResponseSize == nil || *d.ResponseSize != s.ResponseSize {
			t.Fatalf("detail extras differ for %s: %+v", l.ID, d)
		}
	}
}

// A log younger than 3 seconds has a null response_head: nil, not "".
func TestSimGetLogFresh(t *testing.T) {
	e := newSimEnv(t, 10, restclient.Options{})
	fresh := e.sim.Append(e.gw, 1)[0]
	d, err := e.c.GetLog(context.Background(), e.creds, e.acct, e.gw, fresh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ResponseHead != nil || d.RequestHead == nil || *d.RequestHead != fresh.RequestHead {
		t.Fatalf("fresh log: response_head %v, request_head %v", d.ResponseHead, d.RequestHead)
	}
}

func TestSimLogBodies(t *testing.T) {
	e := newSimEnv(t, 300, restclient.Options{})
	ctx := context.Background()
	for _, stream := range []bool{false, true} {
		l := pickLog(t, e, stream)
		var req, resp json.RawMessage
		r := oneRequest(t, e, func() (err error) {
			req, err = e.c.GetLogRequestBody(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if !strings.HasSuffix(r.Path, "/logs/"+l.ID+"/request") {
			t.Errorf("path %s", r.Path)
		}
		if string(req) != l.RequestBody {
			t.Errorf("request body %s, stored %s", req, l.RequestBody)
		}
		var obj struct {
			Model    string `json:"model"`
			Messages []any  `json:"messages"`
		}
		if err := json.Unmarshal(req, &obj); err != nil || obj.Model != l.Model {
			t.Errorf("request body %s does not name the model %s", req, l.Model)
		}
		r = oneRequest(t, e, func() (err error) {
			resp, err = e.c.GetLogResponseBody(ctx, e.creds, e.acct, e.gw, l.ID)
			return err
		})
		if !strings.HasSuffix(r.Path, "/logs/"+l.ID+"/response") {
			t.Errorf("path %s", r.Path)
		}
		if !stream {
			if string(resp) != l.ResponseBody {
				t.Errorf("response body %s, stored %s", resp, l.ResponseBody)
			}
			continue
		}
		// A streamed body comes as a JSON string holding the text.
		var s string
		if err := json.Unmarshal(resp, &s); err != nil || s != l.ResponseBody {
			t.Errorf("streamed response %s, stored %q", resp, l.ResponseBody)
		}
	}
}
