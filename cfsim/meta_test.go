package cfsim

import (
	"net/url"
	"slices"
	"testing"
)

var metaKeys = []string{"min_cost", "max_cost", "min_duration", "max_duration", "min_tokens_in", "max_tokens_in",
	"min_tokens_out", "max_tokens_out", "min_total_tokens", "max_total_tokens"}

// bruteMeta computes the meta_info figures over the given logs.
func bruteMeta(logs []Log) map[string]float64 {
	m := map[string]float64{}
	put := func(name string, v float64) {
		if lo, ok := m["min_"+name]; !ok || v < lo {
			m["min_"+name] = v
		}
		if hi, ok := m["max_"+name]; !ok || v > hi {
			m["max_"+name] = v
		}
	}
	for _, l := range logs {
		if l.Cost != nil {
			put("cost", *l.Cost)
		}
		put("duration", float64(l.Duration))
		if l.TokensIn != nil {
			put("tokens_in", float64(*l.TokensIn))
		}
		if l.TokensOut != nil {
			put("tokens_out", float64(*l.TokensOut))
		}
		if l.TokensIn != nil || l.TokensOut != nil {
			var t int
			if l.TokensIn != nil {
				t += *l.TokensIn
			}
			if l.TokensOut != nil {
				t += *l.TokensOut
			}
			put("total_tokens", float64(t))
		}
	}
	return m
}

func TestMetaInfo(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: 600, Gateways: []string{"g"}})
	logs := f.s.Logs("g")
	subset := func(fs ...Filter) []Log {
		ids := bruteFilter(logs, "", fs...)
		var out []Log
		for _, l := range logs {
			if slices.Contains(ids, l.ID) {
				out = append(out, l)
			}
		}
		return out
	}
	cases := []struct {
		name    string
		q       url.Values
		matched []Log
	}{
		{"all", url.Values{}, logs},
		{"openai", filtersQ(Filter{"provider", "eq", []any{"openai"}}), subset(Filter{"provider", "eq", []any{"openai"}})},
		{"no tokens", filtersQ(Filter{"tokens", "eq", []any{nil}}), subset(Filter{"tokens", "eq", []any{nil}})},
		{"nothing", filtersQ(Filter{"id", "eq", []any{"none"}}), nil},
	}
	for _, c := range cases {
		for _, page := range []string{"1", "500"} { // the figures cover the whole set, not the page
			q := cloneValues(c.q)
			q.Set("meta_info", "true")
			q.Set("page", page)
			q.Set("per_page", "3")
			a := f.list("g", q)
			want := bruteMeta(c.matched)
			for _, k := range metaKeys {
				got, has := a.info(k)
				w, wantHas := want[k]
				if has != wantHas || got != w {
					t.Errorf("%s page %s: %s = %v (present %v), want %v (present %v)", c.name, page, k, got, has, w, wantHas)
				}
			}
			if n, _ := a.info("total_count"); int(n) != len(c.matched) {
				t.Errorf("%s: total_count %v, want %d", c.name, n, len(c.matched))
			}
		}
		if c.name == "no tokens" {
			a := f.list("g", url.Values{"meta_info": {"true"}, "filters": c.q["filters"]})
			if _, has := a.info("min_tokens_in"); has {
				t.Error("min_tokens_in present over a set without tokens")
			}
			if _, has := a.info("min_duration"); !has {
				t.Error("min_duration missing")
			}
		}
	}
	for _, q := range []url.Values{{}, {"meta_info": {"false"}}} {
		a := f.list("g", q)
		for _, k := range metaKeys {
			if _, has := a.info(k); has {
				t.Errorf("?%s: %s present without meta_info=true", q.Encode(), k)
			}
		}
	}
	// The cached whole-gateway figures follow Append.
	f.list("g", url.Values{"meta_info": {"true"}})
	f.s.Append("g", 40)
	after := f.list("g", url.Values{"meta_info": {"true"}})
	want := bruteMeta(f.s.Logs("g"))
	for _, k := range metaKeys {
		if got, _ := after.info(k); got != want[k] {
			t.Errorf("after Append: %s = %v, want %v", k, got, want[k])
		}
	}
}
