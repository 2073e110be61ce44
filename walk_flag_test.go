package main

import "testing"

// TestMaxWalkGatewaysSetting: -max-walk-gateways and MAX_WALK_GATEWAYS set
// the most gateways one walk merges, the flag over the variable.
func TestMaxWalkGatewaysSetting(t *testing.T) {
	cfg, err := parseConfig(nil)
	if err != nil || cfg.MaxWalkGateways != 10 {
		t.Fatalf("default: %d, %v", cfg.MaxWalkGateways, err)
	}
	t.Setenv("MAX_WALK_GATEWAYS", "25")
	if cfg, err = parseConfig(nil); err != nil || cfg.MaxWalkGateways != 25 {
		t.Fatalf("from the environment: %d, %v", cfg.MaxWalkGateways, err)
	}
	if cfg, err = parseConfig([]string{"-max-walk-gateways", "3"}); err != nil || cfg.MaxWalkGateways != 3 {
		t.Fatalf("from the flag: %d, %v", cfg.MaxWalkGateways, err)
	}
}
