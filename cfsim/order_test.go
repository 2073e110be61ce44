package cfsim

import (
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// bruteOrder sorts logs ascending by key, created_at, id — written
// separately from order.go's comparator.
func bruteOrder(logs []Log, key string) []string {
	k := func(l Log) string {
		switch key {
		case "provider":
			return l.Provider
		case "model":
			return l.Model
		case "model_type":
			if l.ModelType == nil {
				return "" // before every model type
			}
			return "\x01" + *l.ModelType
		case "success":
			return strconv.FormatBool(l.Success) // "false" < "true"
		case "cached":
			return strconv.FormatBool(l.Cached)
		}
		return ""
	}
	s := slices.Clone(logs)
	sort.Slice(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if ka, kb := k(a), k(b); ka != kb {
			return ka < kb
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	return idsOf(s)
}

func TestOrdering(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 400, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	for key := range orderKeys {
		asc := bruteOrder(logs, key)
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		gotAsc, _ := f.listAll("g", url.Values{"order_by": {key}, "order_by_direction": {"asc"}})
		gotDesc, _ := f.listAll("g", url.Values{"order_by": {key}, "order_by_direction": {"desc"}})
		gotDefaultDir, _ := f.listAll("g", url.Values{"order_by": {key}})
		if !slices.Equal(gotAsc, asc) {
			t.Errorf("order_by=%s asc differs from brute force", key)
		}
		if !slices.Equal(gotDesc, desc) || !slices.Equal(gotDefaultDir, desc) {
			t.Errorf("order_by=%s desc (explicit or default) differs from brute force", key)
		}
	}
	def, _ := f.listAll("g", nil)
	if !slices.Equal(def, idsOf(logs)) {
		t.Error("default order is not Logs() order (created_at desc, id desc)")
	}
	// Ordering applies after filtering.
	fl := Filter{"provider", "eq", []any{"openai", "workers-ai"}}
	q := filtersQ(fl)
	q.Set("order_by", "model")
	q.Set("order_by_direction", "asc")
	want := bruteFilter(logs, "", fl)
	var wantOrdered []string
	for _, id := range bruteOrder(logs, "model") {
		if slices.Contains(want, id) {
			wantOrdered = append(wantOrdered, id)
		}
	}
	if got, _ := f.listAll("g", q); !slices.Equal(got, wantOrdered) {
		t.Error("filtered + ordered answer differs from brute force")
	}
}

// Logs appended in one call share a millisecond: the answer must still be
// a total order (id breaks the tie, in the requested direction).
func TestOrderingTiesAfterAppend(t *testing.T) {
	clk := &clock{t: testNow}
	f := newFixture(t, Options{LogsPerGateway: 30, Gateways: []string{"g"}, Now: clk.Now})
	clk.Advance(2 * 60_000_000_000)
	added := f.s.Append("g", 6)
	ids := idsOf(added)
	slices.Sort(ids)
	a := f.list("g", url.Values{"per_page": {"6"}})
	got := idsOf(a.Result)
	slices.Reverse(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("tied logs not ordered by id desc: %v vs %v", got, ids)
	}
	for _, l := range a.Result {
		if !l.CreatedAt.Equal(added[0].CreatedAt) {
			t.Fatal("appended logs do not share created_at")
		}
	}
}

func TestPaging(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 110, Gateways: []string{"g"}})
	logs := idsOf(f.s.Logs("g"))
	cases := []struct {
		page, perPage int
		want          []string
	}{
		{1, 1, logs[:1]}, {2, 1, logs[1:2]}, {110, 1, logs[109:]}, {111, 1, nil},
		{1, 50, logs[:50]}, {2, 50, logs[50:100]}, {3, 50, logs[100:]}, {4, 50, nil},
		{1, 20, logs[:20]}, {6, 20, logs[100:]}, {7, 20, nil}, {99999999, 50, nil},
	}
	for _, c := range cases {
		q := url.Values{"page": {strconv.Itoa(c.page)}, "per_page": {strconv.Itoa(c.perPage)}}
		r := f.get(f.logsURL("g") + "?" + q.Encode())
		a := f.list("g", q)
		if got := idsOf(a.Result); !slices.Equal(got, c.want) {
			t.Errorf("page %d per_page %d: got %d items, want %d", c.page, c.perPage, len(got), len(c.want))
		}
		var info map[string]int
		raw, _ := json.Marshal(a.ResultInfo)
		json.Unmarshal(raw, &info)
		want := map[string]int{"count": len(c.want), "page": c.page, "per_page": c.perPage, "total_count": 110}
		for k, v := range want {
			if info[k] != v {
				t.Errorf("page %d per_page %d: result_info.%s = %d, want %d", c.page, c.perPage, k, info[k], v)
			}
		}
		if len(c.want) == 0 && !strings.Contains(string(r.body), `"result":[]`) {
			t.Errorf("empty page must be result: [], got %s", r.body)
		}
	}
	// Paging in ascending order walks the same set backwards.
	asc, _ := f.listAll("g", url.Values{"order_by_direction": {"asc"}})
	rev := slices.Clone(logs)
	slices.Reverse(rev)
	if !slices.Equal(asc, rev) {
		t.Error("asc paging is not the reverse of desc")
	}
}
