package main

import (
	"testing"
	"time"
)

func TestBreakerSettings(t *testing.T) {
	t.Setenv("BREAKER_FAILURES", "7")
	cfg, err := parseConfig([]string{"-breaker-cooldown", "2m"})
	if err != nil || cfg.BreakerFailures != 7 || cfg.BreakerCooldown != 2*time.Minute {
		t.Fatalf("app.Config %+v, %v", cfg, err)
	}
	for _, args := range [][]string{{"-breaker-failures", "-1"}, {"-breaker-cooldown", "0s"}, {"-breaker-cooldown", "500ms"}} {
		if _, err := parseConfig(args); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}
