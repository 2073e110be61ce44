package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://example.test/", nil)
	// Set the path as a router would hand it over, without httptest's
	// parsing getting in the way of odd paths.
	req.URL.Path = target
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// assetsDir lays out npm packages the two ways Assets reads, and a secret
// beside the directory that no request may reach.
func assetsDir(t *testing.T) (parent, dir string) {
	t.Helper()
	parent = t.TempDir()
	dir = filepath.Join(parent, "assets")
	writeFile(t, parent, "secret.js", "SECRET")
	writeFile(t, parent, "secret/package.json", `{"version":"1.0.0"}`)
	writeFile(t, parent, "secret/x.js", "SECRET")
	// node_modules layout
	writeFile(t, dir, "graphiql/package.json", `{"name":"graphiql","version":"4.1.2"}`)
	writeFile(t, dir, "graphiql/graphiql.min.js", "js")
	writeFile(t, dir, "graphiql/graphiql.min.css", "css")
	writeFile(t, dir, "graphiql/graphiql.min.js.map", "{}")
	writeFile(t, dir, "graphiql/.npmrc", "token")
	writeFile(t, dir, "@graphiql/plugin-explorer/package.json", `{"version":"4.0.6"}`)
	writeFile(t, dir, "@graphiql/plugin-explorer/dist/index.umd.js", "scoped")
	writeFile(t, dir, "react/package.json", `{"version":"19.0.0"}`)
	writeFile(t, dir, "react/umd/react.production.min.js", "wrong version")
	// CDN layout
	writeFile(t, dir, "react-dom@18.2.0/umd/react-dom.production.min.js", "react-dom")
	return parent, dir
}

func TestAssetsServesBothLayouts(t *testing.T) {
	_, dir := assetsDir(t)
	h := Assets(dir)
	for _, tc := range []struct{ path, body, ctype string }{
		{"/graphiql@4.1.2/graphiql.min.js", "js", "text/javascript; charset=utf-8"},
		{"/graphiql@4.1.2/graphiql.min.css", "css", "text/css; charset=utf-8"},
		{"/graphiql@4.1.2/graphiql.min.js.map", "{}", "application/json; charset=utf-8"},
		{"/@graphiql/plugin-explorer@4.0.6/dist/index.umd.js", "scoped", "text/javascript; charset=utf-8"},
		{"/react-dom@18.2.0/umd/react-dom.production.min.js", "react-dom", "text/javascript; charset=utf-8"},
	} {
		rec := get(t, h, http.MethodGet, tc.path)
		if rec.Code != http.StatusOK || rec.Body.String() != tc.body {
			t.Errorf("%s: %d %q, want 200 %q", tc.path, rec.Code, rec.Body.String(), tc.body)
			continue
		}
		hdr := rec.Header()
		if got := hdr.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tc.path)
		}
		if !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", tc.path, hdr.Get("Cache-Control"))
		}
		if hdr.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header for crossorigin loads", tc.path)
		}
	}
	if rec := get(t, h, http.MethodHead, "/graphiql@4.1.2/graphiql.min.js"); rec.Code != http.StatusOK {
		t.Errorf("HEAD: %d", rec.Code)
	}
	if rec := get(t, h, http.MethodPost, "/graphiql@4.1.2/graphiql.min.js"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
}

func TestAssetsRefusesWhatIsNotAnAsset(t *testing.T) {
	_, dir := assetsDir(t)
	h := Assets(dir)
	for _, p := range []string{
		"/",
		"/graphiql@4.1.2",
		"/graphiql@4.1.2/",
		"/graphiql/graphiql.min.js",       // no version
		"/graphiql@/graphiql.min.js",      // empty version
		"/graphiql@4.1.1/graphiql.min.js", // another version than installed
		"/react@18.2.0/umd/react.production.min.js", // installed at 19.0.0
		"/graphiql@4.1.2/package.json",              // not an asset type
		"/graphiql@4.1.2/.npmrc",                    // dot file
		"/graphiql@4.1.2/missing.js",
		"/@graphiql@4.0.6/dist/index.umd.js", // scope without name
		"/GraphiQL@4.1.2/graphiql.min.js",    // not an npm name
	} {
		if rec := get(t, h, http.MethodGet, p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d %q, want 404", p, rec.Code, rec.Body.String())
		}
	}
}

func TestAssetsStaysInsideItsDirectory(t *testing.T) {
	parent, dir := assetsDir(t)
	// Symbolic links inside dir that point out of it.
	if err := os.Symlink("../secret", filepath.Join(dir, "secret")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../secret.js", filepath.Join(dir, "graphiql", "leak.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "evil@1.0.0"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "secret.js"), filepath.Join(dir, "evil@1.0.0", "abs.js")); err != nil {
		t.Fatal(err)
	}
	h := Assets(dir)
	mounted := http.StripPrefix(AssetsPath, h)
	for _, p := range []string{
		"/../secret.js",
		"/graphiql@4.1.2/../../secret.js",
		"/graphiql@4.1.2/../graphiql@4.1.2/../../secret.js",
		"/secret@1.0.0/x.js",
		"/graphiql@4.1.2/leak.js",
		"/evil@1.0.0/abs.js",
		"/graphiql@4.1.2/..\\..\\secret.js",
		"/graphiql@4.1.2/./graphiql.min.js",
		"/graphiql@4.1.2//graphiql.min.js",
		"/graphiql@4.1.2/x.js\x00.js",
		"/..@1.0.0/secret.js",
	} {
		for name, handler := range map[string]http.Handler{"direct": h, "mounted": mounted} {
			target := p
			if name == "mounted" {
				target = AssetsPath + p
			}
			rec := get(t, handler, http.MethodGet, target)
			if rec.Code == http.StatusOK || strings.Contains(rec.Body.String(), "SECRET") {
				t.Errorf("%s %q: %d %q", name, target, rec.Code, rec.Body.String())
			}
		}
	}
	// Through a real server and mux, with percent-encoded dots and slashes.
	mux := http.NewServeMux()
	mux.Handle("GET "+AssetsPath+"/", mounted)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, p := range []string{
		"/%2e%2e/secret.js",
		"/graphiql@4.1.2/%2e%2e%2f%2e%2e%2fsecret.js",
		"/graphiql@4.1.2/..%2f..%2fsecret.js",
		"/graphiql@4.1.2/%2E%2E/%2E%2E/secret.js",
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+AssetsPath+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = "//" + req.URL.Host + AssetsPath + p // send the path exactly as written
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64)
		n, _ := res.Body.Read(buf)
		res.Body.Close()
		if res.StatusCode == http.StatusOK || strings.Contains(string(buf[:n]), "SECRET") {
			t.Errorf("%s: %d %q", p, res.StatusCode, buf[:n])
		}
	}
}

func TestSplitAssetPath(t *testing.T) {
	for _, tc := range []struct{ in, pkg, version, file string }{
		{"/graphiql@4.1.2/graphiql.min.js", "graphiql", "4.1.2", "graphiql.min.js"},
		{"/react@18.2.0/umd/react.production.min.js", "react", "18.2.0", "umd/react.production.min.js"},
		{"/@graphiql/plugin-explorer@4.0.6/dist/style.css", "@graphiql/plugin-explorer", "4.0.6", "dist/style.css"},
		{"/react@19.0.0-rc.1/a.js", "react", "19.0.0-rc.1", "a.js"},
	} {
		pkg, version, file, ok := splitAssetPath(tc.in)
		if !ok || pkg != tc.pkg || version != tc.version || file != tc.file {
			t.Errorf("%s: %q %q %q %v", tc.in, pkg, version, file, ok)
		}
	}
}

func sri(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func TestVerify(t *testing.T) {
	_, dir := assetsDir(t)
	ok := []Asset{
		{"graphiql", "4.1.2", "graphiql.min.js", sri("js")},
		{"react-dom", "18.2.0", "umd/react-dom.production.min.js", sri("react-dom")},
	}
	if err := verify(dir, ok); err != nil {
		t.Fatalf("verify: %v", err)
	}
	bad := []Asset{
		{"graphiql", "4.1.2", "graphiql.min.css", sri("tampered")},
		{"react", "18.2.0", "umd/react.production.min.js", sri("wrong version")},
		{"graphiql", "4.1.2", "missing.js", sri("")},
	}
	err := verify(dir, bad)
	if err == nil {
		t.Fatal("verify passed a tampered, a wrong-version and a missing file")
	}
	for _, want := range []string{"graphiql@4.1.2/graphiql.min.css: content is", "react@18.2.0/umd/react.production.min.js: react is 19.0.0, not 18.2.0", "graphiql@4.1.2/missing.js:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := VerifyAssets(filepath.Join(dir, "nope")); err == nil {
		t.Error("VerifyAssets passed a missing directory")
	}
}

// The real files, where the e2e package has installed them: they must be
// the bytes the page's integrity attributes name.
func TestVerifyNodeModules(t *testing.T) {
	dir := filepath.Join("..", "e2e", "node_modules")
	if _, err := os.Stat(filepath.Join(dir, "graphiql", "package.json")); err != nil {
		t.Skip("e2e/node_modules has no graphiql (run npm ci in e2e/)")
	}
	if err := VerifyAssets(dir); err != nil {
		t.Fatal(err)
	}
}
