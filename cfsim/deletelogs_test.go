package cfsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
)

// deleteLogs sends DELETE …/logs?q with the given token ("" = demo token).
func (f *fixture) deleteLogs(gw string, q url.Values, token string) response {
	f.t.Helper()
	hdr := []string{}
	if token != "" {
		hdr = []string{"Authorization", "Bearer " + token}
	}
	r, err := f.do(f.t.Context(), http.MethodDelete, f.logsURL(gw)+"?"+q.Encode(), hdr...)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func deleteQ(limit, orderBy, dir string, fs ...Filter) url.Values {
	q := url.Values{}
	if len(fs) > 0 {
		q = filtersQ(fs...)
	}
	for k, v := range map[string]string{"limit": limit, "order_by": orderBy, "order_by_direction": dir} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// TestDeleteLogs: DELETE removes exactly the logs the filters select, up
// to limit, first in the requested order (oldest first by default), and
// answers the spec's {success: true}; what is left is served as before.
func TestDeleteLogs(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 300, Gateways: []string{"g", "other"}})
	before := f.s.Logs("g")
	provider := before[0].Provider
	var keep, doomed []string
	for _, l := range before {
		if l.Provider == provider {
			doomed = append(doomed, l.ID)
		} else {
			keep = append(keep, l.ID)
		}
	}
	if len(keep) == 0 || len(doomed) < 2 {
		t.Fatal("one provider only: the test proves nothing")
	}
	r := f.deleteLogs("g", deleteQ("", "", "", Filter{"provider", "eq", []any{provider}}), "")
	if r.status != http.StatusOK || string(r.body) != `{"success":true}` {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if got := idsOf(f.s.Logs("g")); !slices.Equal(got, keep) {
		t.Fatalf("%d logs left, want the %d of other providers", len(got), len(keep))
	}
	if ids, total := f.listAll("g", nil); total != len(keep) || !slices.Equal(ids, keep) {
		t.Fatalf("the list serves %d logs (total %d) after the delete", len(ids), total)
	}
	if n := len(f.s.Logs("other")); n != 300 {
		t.Fatalf("another gateway lost logs: %d left", n)
	}

	// limit with the default order: the oldest go first.
	left := f.s.Logs("g")
	oldest := slices.Clone(left)
	sort.Slice(oldest, func(i, j int) bool {
		if !oldest[i].CreatedAt.Equal(oldest[j].CreatedAt) {
			return oldest[i].CreatedAt.Before(oldest[j].CreatedAt)
		}
		return oldest[i].ID < oldest[j].ID
	})
	f.deleteLogs("g", deleteQ("7", "", ""), "")
	gone := map[string]bool{}
	for _, l := range oldest[:7] {
		gone[l.ID] = true
	}
	var want []string
	for _, l := range left {
		if !gone[l.ID] {
			want = append(want, l.ID)
		}
	}
	if got := idsOf(f.s.Logs("g")); !slices.Equal(got, want) {
		t.Fatalf("limit 7, default order: %d left, want %d without the 7 oldest", len(got), len(want))
	}

	// limit with an order only Delete knows: the costliest go.
	left = f.s.Logs("g")
	f.deleteLogs("g", deleteQ("10", "cost", "desc"), "")
	after := f.s.Logs("g")
	if len(after) != len(left)-10 {
		t.Fatalf("%d left of %d, want 10 deleted", len(after), len(left))
	}
	minGone, maxKept := 1e9, -1.0
	remaining := map[string]bool{}
	for _, l := range after {
		remaining[l.ID] = true
		if l.Cost != nil {
			maxKept = max(maxKept, *l.Cost)
		}
	}
	for _, l := range left {
		if !remaining[l.ID] {
			if l.Cost == nil {
				t.Fatal("a log without a cost went before costlier ones")
			}
			minGone = min(minGone, *l.Cost)
		}
	}
	if minGone < maxKept {
		t.Fatalf("deleted a log costing %v while one costing %v stays", minGone, maxKept)
	}

	// No filters: every log (up to the limit).
	f.deleteLogs("g", deleteQ("", "", ""), "")
	if n := len(f.s.Logs("g")); n != 0 {
		t.Fatalf("%d logs left after deleting all", n)
	}
}

// TestDeleteLogsRefusals: a read-only token gets 403 code 10000 and nothing
// is deleted; bad parameters are the spec's 400; an unknown gateway 404.
func TestDeleteLogsRefusals(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 50, Gateways: []string{"g"}, ReadOnlyTokens: []string{"reader"}})
	wantError(t, f.deleteLogs("g", deleteQ("", "", ""), "reader"), http.StatusForbidden, codeAuthError)
	for _, q := range []url.Values{
		deleteQ("0", "", ""), deleteQ("10001", "", ""), deleteQ("x", "", ""),
		deleteQ("", "path", ""), deleteQ("", "", "up"),
		{"filters": {`[{"key":"provider","operator":"like","value":["a"]}]`}},
		{"filters": {`{"key":"provider"}`}},
	} {
		r := f.deleteLogs("g", q, "")
		wantError(t, r, http.StatusBadRequest, 0)
		var env struct{ Errors []map[string]any }
		_ = json.Unmarshal(r.body, &env)
		if len(env.Errors) == 0 || !strings.Contains(r.header.Get("Content-Type"), "json") {
			t.Errorf("%v: %s", q, r.body)
		}
	}
	if n := len(f.s.Logs("g")); n != 50 {
		t.Fatalf("refused deletes removed logs: %d left", n)
	}
	wantError(t, f.deleteLogs("nope", deleteQ("", "", ""), ""), http.StatusNotFound, codeNotFound)
}
