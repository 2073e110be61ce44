package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/graphiql"
	"github.com/aigw/gqlfacade/internal/app"
)

// serveGraphiQL runs the whole service, as configured by change, and
// returns its URL.
func serveGraphiQL(t *testing.T, change func(*app.Config)) string {
	t.Helper()
	sim := cfsim.New(cfsim.Options{})
	upstream := httptest.NewServer(sim)
	t.Cleanup(upstream.Close)
	cfg := app.Defaults()
	cfg.APIBaseURL, cfg.AccountID, cfg.APIToken = upstream.URL+"/client/v4", sim.AccountID(), cfsim.DemoToken
	change(&cfg)
	service, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { service.Close() })
	srv := httptest.NewServer(service.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func fetch(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

var (
	scriptOrStyle = regexp.MustCompile(`(?s)<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"[^>]*?\bintegrity="([^"]*)"`)
	htmlEntities  = strings.NewReplacer("&#43;", "+", "&#47;", "/", "&#61;", "=", "&amp;", "&")
)

// assetRefs are the page's scripts and style sheets: URL → integrity.
func assetRefs(t *testing.T, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range scriptOrStyle.FindAllStringSubmatch(page, -1) {
		out[htmlEntities.Replace(m[1])] = htmlEntities.Replace(m[2])
	}
	if len(out) != len(graphiql.PageAssets()) {
		t.Fatalf("the page loads %d assets, want %d: %v", len(out), len(graphiql.PageAssets()), out)
	}
	return out
}

// Out of the box the service needs no CDN and no folder: the page loads
// every asset from the service itself, which serves the files built into
// the binary, each matching the page's integrity attribute; and it serves
// a favicon.
func TestGraphiQLNeedsNothingButTheService(t *testing.T) {
	base := serveGraphiQL(t, func(*app.Config) {})
	res, page := fetch(t, base+"/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: %d", res.StatusCode)
	}
	for ref, integrity := range assetRefs(t, string(page)) {
		u, err := url.Parse(ref)
		if err != nil || u.IsAbs() || !strings.HasPrefix(u.Path, graphiql.AssetsPath+"/") {
			t.Errorf("the page loads %s from elsewhere than this service's %s", ref, graphiql.AssetsPath)
			continue
		}
		res, body := fetch(t, base+ref)
		sum := sha256.Sum256(body)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); res.StatusCode != http.StatusOK || got != integrity {
			t.Errorf("%s: %d, content %s, the page expects %s", ref, res.StatusCode, got, integrity)
		}
	}
	res, icon := fetch(t, base+graphiql.FaviconPath)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(icon), "<svg") {
		t.Errorf("GET %s: %d %q", graphiql.FaviconPath, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !regexp.MustCompile(`const persistHeaders =\s*false\s*;`).Match(page) {
		t.Error("by default the page keeps the headers pane in localStorage")
	}
}

// The CDN stays an option, and so does keeping the headers pane.
func TestGraphiQLSettings(t *testing.T) {
	base := serveGraphiQL(t, func(c *app.Config) {
		c.GraphiQLAssetBaseURL = graphiql.CDNBaseURL
		c.GraphiQLPersistHeaders = true
	})
	_, page := fetch(t, base+"/")
	for ref := range assetRefs(t, string(page)) {
		if !strings.HasPrefix(ref, graphiql.CDNBaseURL+"/") {
			t.Errorf("with the CDN as base URL the page loads %s", ref)
		}
	}
	if !regexp.MustCompile(`const persistHeaders =\s*true\s*;`).Match(page) {
		t.Error("GraphiQLPersistHeaders does not reach the page")
	}
}

func TestGraphiQLAssetBaseURLIsChecked(t *testing.T) {
	for _, ok := range []string{"", "/graphiql-assets", "/static/npm/", "https://cdn.jsdelivr.net/npm", "http://mirror.internal:8081/npm"} {
		cfg := app.Defaults()
		cfg.GraphiQLAssetBaseURL = ok
		if err := cfg.Validate(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"graphiql-assets", "//cdn.example.com/npm", "javascript:alert(1)", "ftp://mirror/npm", "https:///npm", "https://cdn.example.com/npm?x=1", "https://user:pw@cdn.example.com/npm"} {
		cfg := app.Defaults()
		cfg.GraphiQLAssetBaseURL = bad
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "graphiql-asset-base-url (GRAPHIQL_ASSET_BASE_URL)") || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
