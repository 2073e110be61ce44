package main

import (
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/graphiql"
)

// GraphiQL's settings as a user gives them: off and self-hosted by default,
// each a flag and an environment variable.
func TestGraphiQLSettingsFromFlagsAndEnvironment(t *testing.T) {
	cfg, err := parseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GraphiQLPersistHeaders || cfg.GraphiQLAssetBaseURL != "" || cfg.GraphiQLAssetsDir != "" {
		t.Errorf("defaults: persist headers %v, base URL %q, folder %q", cfg.GraphiQLPersistHeaders, cfg.GraphiQLAssetBaseURL, cfg.GraphiQLAssetsDir)
	}
	cfg, err = parseConfig([]string{"-graphiql-persist-headers", "-graphiql-asset-base-url", graphiql.CDNBaseURL})
	if err != nil || !cfg.GraphiQLPersistHeaders || cfg.GraphiQLAssetBaseURL != graphiql.CDNBaseURL {
		t.Errorf("flags: %v %v %q", err, cfg.GraphiQLPersistHeaders, cfg.GraphiQLAssetBaseURL)
	}
	t.Setenv("GRAPHIQL_PERSIST_HEADERS", "true")
	if cfg, err := parseConfig(nil); err != nil || !cfg.GraphiQLPersistHeaders {
		t.Errorf("GRAPHIQL_PERSIST_HEADERS=true: %v %v", err, cfg.GraphiQLPersistHeaders)
	}
	if cfg, err := parseConfig([]string{"-graphiql-persist-headers=false"}); err != nil || cfg.GraphiQLPersistHeaders {
		t.Errorf("the flag does not win over the variable: %v %v", err, cfg.GraphiQLPersistHeaders)
	}
	t.Setenv("GRAPHIQL_PERSIST_HEADERS", "sometimes")
	if _, err := parseConfig(nil); err == nil || !strings.Contains(err.Error(), "GRAPHIQL_PERSIST_HEADERS") {
		t.Errorf("GRAPHIQL_PERSIST_HEADERS=sometimes: %v", err)
	}
	t.Setenv("GRAPHIQL_PERSIST_HEADERS", "")
	t.Setenv("GRAPHIQL_ASSET_BASE_URL", "cdn.jsdelivr.net/npm")
	if _, err := parseConfig(nil); err == nil || !strings.Contains(err.Error(), `graphiql-asset-base-url (GRAPHIQL_ASSET_BASE_URL) is "cdn.jsdelivr.net/npm"`) {
		t.Errorf("a base URL that is neither a path nor an http(s) URL: %v", err)
	}
}
