package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

var licenceFile = regexp.MustCompile(`^[^/]+@[^/]+/LICENSE$`)

// Every embedded file is one the page loads, hashing to the page's
// integrity attribute for it, or its package's licence; every package
// carries its licence.
func TestEmbeddedFilesMatchThePagesIntegrity(t *testing.T) {
	page := renderPage(t, Handler("t", "/query", Options{}))
	integrity := map[string]string{} // path under AssetsPath → the page's integrity attribute
	for _, ref := range refs(t, page) {
		p, ok := strings.CutPrefix(ref.url, AssetsPath+"/")
		if !ok {
			t.Fatalf("the default page loads %s from elsewhere than %s", ref.url, AssetsPath)
		}
		integrity[p] = ref.integrity
	}
	hashed, licences := map[string]bool{}, map[string]bool{}
	err := fs.WalkDir(embeddedAssets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(embeddedAssets(), p)
		if err != nil {
			return err
		}
		if licenceFile.MatchString(p) {
			if !strings.Contains(string(data), "Permission is hereby granted") {
				t.Errorf("%s is not an MIT licence text", p)
			}
			licences[path.Dir(p)] = true
			return nil
		}
		want, ok := integrity[p]
		if !ok {
			t.Errorf("%s is embedded but the page does not load it", p)
			return nil
		}
		sum := sha256.Sum256(data)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: embedded content is %s, the page's integrity attribute says %s", p, got, want)
		}
		hashed[p] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p := range integrity {
		if !hashed[p] {
			t.Errorf("the page loads %s, which is not embedded", p)
		}
		if pkg := strings.SplitN(p, "/", 2)[0]; !licences[pkg] {
			t.Errorf("%s has no LICENSE embedded", pkg)
		}
	}
}

// The default page, served with EmbeddedAssets at AssetsPath as the service
// does, loads every asset from the binary.
func TestDefaultPageWithEmbeddedAssets(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", Handler("t", "/query", Options{}))
	mux.Handle("GET "+AssetsPath+"/", http.StripPrefix(AssetsPath, EmbeddedAssets()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	refs := refs(t, string(body))
	if len(refs) != len(PageAssets()) {
		t.Fatalf("the page loads %d assets, want %d", len(refs), len(PageAssets()))
	}
	for _, ref := range refs {
		res, err := http.Get(srv.URL + ref.url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", ref.url, res.StatusCode)
		}
		sum := sha256.Sum256(b)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != ref.integrity {
			t.Errorf("%s: served %s, the page expects %s", ref.url, got, ref.integrity)
		}
		if res.Header.Get("Cache-Control") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", ref.url, res.Header)
		}
	}
	// The licences are in the binary, not on the web.
	react := "/" + assetReact.Package + "@" + assetReact.Version
	for _, p := range []string{react + "/LICENSE", react + "/umd/", react + "/umd/react.development.js"} {
		res, err := http.Get(srv.URL + AssetsPath + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}
