package graphiql

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/playground"
)

// pageRef is a script or style sheet the page loads.
type pageRef struct{ url, integrity string }

var tagWithIntegrity = regexp.MustCompile(`(?s)<(script|link)\b([^>]*?)\bintegrity="([^"]*)"`)
var srcOrHref = regexp.MustCompile(`\b(?:src|href)="([^"]*)"`)

func renderPage(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("page: status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("page: Content-Type %q", ct)
	}
	return rec.Body.String()
}

// refs returns the page's script and link tags that carry an integrity
// attribute; html/template escapes "/" and "+" in attributes as entities.
func refs(t *testing.T, page string) []pageRef {
	t.Helper()
	unescape := strings.NewReplacer("&#43;", "+", "&#x2b;", "+", "&#47;", "/", "&#x2f;", "/", "&amp;", "&", "&#61;", "=", "&#x3d;", "=")
	var out []pageRef
	for _, m := range tagWithIntegrity.FindAllStringSubmatch(page, -1) {
		u := srcOrHref.FindStringSubmatch(m[2])
		if u == nil {
			t.Fatalf("tag without src/href: %s", m[0])
		}
		out = append(out, pageRef{unescape.Replace(u[1]), unescape.Replace(m[3])})
	}
	return out
}

func wantRefs(base string) []pageRef {
	var out []pageRef
	for _, a := range PageAssets() {
		out = append(out, pageRef{base + "/" + a.Path(), a.Integrity})
	}
	return out
}

func sameRefs(t *testing.T, got, want []pageRef) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("page references %d assets %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("asset %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// Our table must be gqlgen's defaults: same packages, versions, files, SRI.
func TestPageAssetsAreGqlgensDefaults(t *testing.T) {
	page := renderPage(t, playground.Handler("t", "/query"))
	sameRefs(t, refs(t, page), wantRefs(CDNBaseURL))
}

// By default the page loads its assets from this server, where the service
// mounts them, and nothing from elsewhere.
func TestHandlerWithoutBaseURLLoadsFromThisServer(t *testing.T) {
	page := renderPage(t, Handler("AI Gateway logs", "/query", Options{}))
	sameRefs(t, refs(t, page), wantRefs(AssetsPath))
	if regexp.MustCompile(`\b(?:src|href)="[a-z][a-z0-9+.-]*:`).MatchString(page) {
		t.Error("the page references another origin")
	}
}

// With the CDN as base URL, the page loads exactly what gqlgen's page loads.
func TestHandlerWithCDNBaseURLLoadsGqlgensURLs(t *testing.T) {
	got := refs(t, renderPage(t, Handler("t", "/query", Options{AssetBaseURL: CDNBaseURL})))
	sameRefs(t, got, refs(t, renderPage(t, playground.Handler("t", "/query"))))
}

func TestHandlerReferencesAssetBaseURL(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"/graphiql-assets", "/graphiql-assets"},
		{"/graphiql-assets/", "/graphiql-assets"},
		{"https://mirror.example.internal/npm", "https://mirror.example.internal/npm"},
	} {
		t.Run(tc.base, func(t *testing.T) {
			page := renderPage(t, Handler("AI Gateway logs", "/query", Options{AssetBaseURL: tc.base}))
			sameRefs(t, refs(t, page), wantRefs(tc.want))
			if strings.Contains(page, "cdn.jsdelivr.net") {
				t.Error("page still references the CDN")
			}
			for _, ref := range refs(t, page) {
				if ref.integrity == "" {
					t.Errorf("%s has no integrity attribute", ref.url)
				}
			}
			if !strings.Contains(page, `crossorigin="anonymous"`) {
				t.Error("crossorigin attributes are gone")
			}
			if !strings.Contains(page, "<title>AI Gateway logs</title>") || !strings.Contains(page, `"/query"`) {
				t.Error("title or endpoint missing")
			}
		})
	}
}

// The page served with Assets, as a browser would fetch it: every asset
// resolves under the mount point with the right content type.
func TestPageAndAssetsTogether(t *testing.T) {
	dir := t.TempDir()
	for _, a := range PageAssets() {
		writeFile(t, dir, a.Package+"/package.json", `{"name":"`+a.Package+`","version":"`+a.Version+`"}`)
		writeFile(t, dir, a.Package+"/"+a.File, "/* "+a.Path()+" */")
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", Handler("t", "/query", Options{AssetBaseURL: AssetsPath}))
	mux.Handle("GET "+AssetsPath+"/", http.StripPrefix(AssetsPath, Assets(dir)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ref := range refs(t, string(body)) {
		res, err := http.Get(srv.URL + ref.url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", ref.url, res.StatusCode, b)
		}
		wantType := "text/javascript; charset=utf-8"
		if strings.HasSuffix(ref.url, ".css") {
			wantType = "text/css; charset=utf-8"
		}
		if got := res.Header.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", ref.url, got, wantType)
		}
		if !strings.Contains(string(b), strings.TrimPrefix(ref.url, AssetsPath+"/")) {
			t.Errorf("%s: wrong file served: %q", ref.url, b)
		}
	}
}
