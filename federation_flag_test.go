package main

import "testing"

// TestFederationNodeFieldsSetting: -federation-node-fields and
// FEDERATION_NODE_FIELDS decide whether the subgraph SDL publishes
// Query.node and Query.nodes (on by default), the flag over the variable.
// What the setting does to the SDL is graph's TestNodeFieldsCanLeaveTheSubgraphSDL.
func TestFederationNodeFieldsSetting(t *testing.T) {
	cfg, err := parseConfig(nil)
	if err != nil || !cfg.FederationNodeFields {
		t.Fatalf("default: %v, %v", cfg.FederationNodeFields, err)
	}
	t.Setenv("FEDERATION_NODE_FIELDS", "false")
	if cfg, err = parseConfig(nil); err != nil || cfg.FederationNodeFields {
		t.Fatalf("from the environment: %v, %v", cfg.FederationNodeFields, err)
	}
	if cfg, err = parseConfig([]string{"-federation-node-fields=true"}); err != nil || !cfg.FederationNodeFields {
		t.Fatalf("from the flag: %v, %v", cfg.FederationNodeFields, err)
	}
	t.Setenv("FEDERATION_NODE_FIELDS", "maybe")
	if _, err = parseConfig(nil); err == nil {
		t.Fatal("FEDERATION_NODE_FIELDS=maybe was accepted")
	}
}
