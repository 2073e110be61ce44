package ratebudget

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	cases := []struct {
		in    string
		left  int
		reset time.Duration
		ok    bool
	}{
		{`"default";r=50;t=30`, 50, 30 * time.Second, true},
		{`"default";r=0;t=299`, 0, 299 * time.Second, true},
		{`"default";r=50;t=30, "burst";r=3;t=5`, 3, 5 * time.Second, true}, // the tightest
		{`"default";r=50`, 0, 0, false},
		{`garbage`, 0, 0, false},
		{`"default";r=-1;t=30`, 0, 0, false},
		{``, 0, 0, false},
	}
	for _, c := range cases {
		left, reset, ok := parseRateLimit(c.in)
		if left != c.left || reset != c.reset || ok != c.ok {
			t.Errorf("%q: %d %v %v, want %d %v %v", c.in, left, reset, ok, c.left, c.reset, c.ok)
		}
	}
}

// TestUpstreamLeft: no more calls than the upstream says are left before
// its reset, none when it says none, and all again after the reset.
func TestUpstreamLeft(t *testing.T) {
	var u upstreamLeft
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if d := u.take("k", now); d != 0 {
		t.Fatalf("before any answer: wait %v", d)
	}
	u.observe("k", http.Header{"Ratelimit": {`"default";r=2;t=60`}}, now)
	for i := range 2 {
		if d := u.take("k", now); d != 0 {
			t.Fatalf("call %d of 2 left: wait %v", i+1, d)
		}
	}
	if d := u.take("k", now.Add(10*time.Second)); d != 50*time.Second {
		t.Fatalf("none left: wait %v, want the 50 s to the reset", d)
	}
	u.giveBack("k")
	if d := u.take("k", now.Add(10*time.Second)); d != 0 {
		t.Fatalf("a call given back: wait %v", d)
	}
	if d := u.take("k", now.Add(time.Minute)); d != 0 {
		t.Fatalf("after the reset: wait %v", d)
	}
	if d := u.take("other", now); d != 0 {
		t.Fatalf("another key: wait %v", d)
	}
}
