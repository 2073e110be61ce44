package cfsim

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var ulidRE = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)

func TestDeterministicData(t *testing.T) {
	a := New(Options{Seed: 7, Now: fixedNow, LogsPerGateway: 300})
	b := New(Options{Seed: 7, Now: fixedNow, LogsPerGateway: 300})
	for _, gw := range a.Gateways() {
		if !reflect.DeepEqual(a.Logs(gw), b.Logs(gw)) {
			t.Fatalf("same seed, different logs for %s", gw)
		}
	}
	c := New(Options{Seed: 8, Now: fixedNow, LogsPerGateway: 300})
	if reflect.DeepEqual(a.Logs("prod-chat"), c.Logs("prod-chat")) {
		t.Fatal("different seeds, same logs")
	}
	zero, one := New(Options{Now: fixedNow, LogsPerGateway: 50}), New(Options{Seed: 1, Now: fixedNow, LogsPerGateway: 50})
	if !reflect.DeepEqual(zero.Logs("staging"), one.Logs("staging")) {
		t.Fatal("Seed 0 should mean seed 1")
	}
	// A gateway's data depend on its name, not on which others exist.
	x := New(Options{Now: fixedNow, Gateways: []string{"a", "b"}, LogsPerGateway: 100})
	y := New(Options{Now: fixedNow, Gateways: []string{"b"}, LogsPerGateway: 100})
	if !reflect.DeepEqual(x.Logs("b"), y.Logs("b")) {
		t.Fatal("gateway b's data changed when gateway a was added")
	}
	// Append is deterministic too.
	if !reflect.DeepEqual(a.Append("staging", 5), b.Append("staging", 5)) {
		t.Fatal("Append differs for the same seed")
	}
}

func TestDefaults(t *testing.T) {
	s := New(Options{Now: fixedNow})
	if s.AccountID() != DefaultAccountID {
		t.Errorf("AccountID %q", s.AccountID())
	}
	if got := s.Gateways(); !reflect.DeepEqual(got, []string{"prod-chat", "staging", "batch-jobs"}) {
		t.Errorf("Gateways %v", got)
	}
	for _, gw := range s.Gateways() {
		if n := len(s.Logs(gw)); n != 2500 {
			t.Errorf("%s: %d logs, want 2500", gw, n)
		}
	}
	if s.Logs("nope") != nil {
		t.Error("Logs of an unknown gateway should be nil")
	}
}

func TestDataShape(t *testing.T) {
	s := New(Options{Now: fixedNow})
	ids := map[string]bool{}
	for _, gw := range s.Gateways() {
		logs := s.Logs(gw)
		ties, providers := 0, map[string]bool{}
		var nilCost, nilTokens, withMeta, cached, failed, compat, fallback int
		for i, l := range logs {
			if !ulidRE.MatchString(l.ID) || ids[l.ID] {
				t.Fatalf("bad or duplicate id %q", l.ID)
			}
			ids[l.ID] = true
			if got := decodeULIDTime(l.ID); !got.Equal(l.CreatedAt) {
				t.Fatalf("id %s encodes %v, created_at %v", l.ID, got, l.CreatedAt)
			}
			if l.CreatedAt.After(testNow.Add(-time.Minute)) || l.CreatedAt.Before(testNow.Add(-8*24*time.Hour)) {
				t.Fatalf("created_at %v outside the history window", l.CreatedAt)
			}
			if l.CreatedAt.Nanosecond()%int(time.Millisecond) != 0 {
				t.Fatalf("created_at %v has sub-millisecond precision", l.CreatedAt)
			}
			if i > 0 {
				p := logs[i-1]
				if c := compareAsc("created_at", &p, &l); c <= 0 {
					t.Fatalf("Logs not in created_at desc, id desc order at %d", i)
				}
				if p.CreatedAt.Equal(l.CreatedAt) {
					ties++
				}
			}
			providers[l.Provider] = true
			if l.Success != (*l.StatusCode < 400) {
				t.Fatalf("success %v with status %d", l.Success, *l.StatusCode)
			}
			if l.Cached && (l.Cost == nil || *l.Cost != 0 || !l.Success) {
				t.Fatalf("cached log must be a success with cost 0: %+v", l)
			}
			if l.Metadata != nil {
				withMeta++
				var obj map[string]any
				if err := json.Unmarshal([]byte(*l.Metadata), &obj); err != nil || len(obj) == 0 {
					t.Fatalf("metadata %q is not a JSON object", *l.Metadata)
				}
			}
			nilCost += b2i(l.Cost == nil)
			nilTokens += b2i(l.TokensIn == nil)
			cached += b2i(l.Cached)
			failed += b2i(!l.Success)
			compat += b2i(l.CompatibilityMode)
			fallback += b2i(*l.Step > 0)
		}
		if ties < 5 {
			t.Errorf("%s: only %d created_at ties; ordering tie-breaks go untested", gw, ties)
		}
		for name, n := range map[string]int{"nil cost": nilCost, "nil tokens": nilTokens, "metadata": withMeta,
			"cached": cached, "failed": failed, "compatibilityMode": compat, "fallback steps": fallback} {
			if n == 0 {
				t.Errorf("%s: no log with %s", gw, name)
			}
		}
		if len(providers) < 6 {
			t.Errorf("%s: only %d providers", gw, len(providers))
		}
	}
}

func TestLogsReturnsCopies(t *testing.T) {
	s := New(Options{Now: fixedNow, LogsPerGateway: 20})
	logs := s.Logs("staging")
	for i := range logs {
		logs[i].Provider = "mutated"
		if logs[i].TokensIn != nil {
			*logs[i].TokensIn = -1
		}
	}
	for _, l := range s.Logs("staging") {
		if l.Provider == "mutated" || (l.TokensIn != nil && *l.TokensIn == -1) {
			t.Fatal("mutating Logs' result changed the server's data")
		}
	}
}

func TestEmptyGateway(t *testing.T) {
	f := newFixture(t, Options{LogsPerGateway: -1, Gateways: []string{"empty"}})
	a := f.list("empty", nil)
	if len(a.Result) != 0 || string(a.ResultInfo["total_count"]) != "0" {
		t.Fatalf("empty gateway: %+v", a)
	}
}

func decodeULIDTime(id string) time.Time {
	var ms int64
	for _, c := range id[:10] {
		ms = ms<<5 | int64(strings.IndexRune(crockford, c))
	}
	return time.UnixMilli(ms).UTC()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
