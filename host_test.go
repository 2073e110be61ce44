package main

import (
	"net"
	"testing"
)

// TestHostSetting: -host binds the listener to one address (the tests use
// 127.0.0.1); without it the service listens on every interface.
func TestHostSetting(t *testing.T) {
	cfg := testConfig(t)
	cfg.Demo = true
	addr, stop := startServer(t, cfg)
	defer stop()
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
		t.Fatalf("listening on %q (%v), want 127.0.0.1", addr, err)
	}
	if all, err := parseConfig(nil); err != nil || all.Host != "" {
		t.Fatalf("default host %q (%v), want every interface", all.Host, err)
	}
}
