package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sri(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// fakeRegistry packs tarballs from in-memory packages, as `npm pack` would
// fetch them: name@version → path inside the package → content.
type fakeRegistry map[string]map[string]string

func (r fakeRegistry) pack(t *testing.T) packFunc {
	return func(pkg, version, dir string) (string, error) {
		files, ok := r[pkg+"@"+version]
		if !ok {
			t.Fatalf("packed %s@%s, which the test does not have", pkg, version)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for name, content := range files {
			tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
			tw.Write([]byte(content))
		}
		tw.Close()
		zw.Close()
		p := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "-")+"-"+version+".tgz")
		return p, os.WriteFile(p, buf.Bytes(), 0o644)
	}
}

func registry() fakeRegistry {
	return fakeRegistry{
		"react@18.2.0": {
			"package.json":                `{"name":"react","version":"18.2.0"}`,
			"LICENSE":                     "MIT react",
			"umd/react.production.min.js": "react",
			"umd/react.development.js":    "not wanted",
		},
		"graphiql@4.1.2": {
			"package.json":     `{"name":"graphiql","version":"4.1.2"}`,
			"LICENSE.md":       "MIT graphiql",
			"graphiql.min.js":  "js",
			"graphiql.min.css": "css",
			"dist/LICENSE":     "not at the top",
		},
	}
}

func page() []pageAsset {
	return []pageAsset{
		{"assetReact", "react", "18.2.0", "umd/react.production.min.js", sri("react")},
		{"assetGraphiQLCSS", "graphiql", "4.1.2", "graphiql.min.css", sri("css")},
		{"assetGraphiQLJS", "graphiql", "4.1.2", "graphiql.min.js", sri("js")},
	}
}

func TestCollectKeepsThePagesFilesAndLicences(t *testing.T) {
	files, err := collect(page(), registry().pack(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"react@18.2.0/umd/react.production.min.js": "react",
		"react@18.2.0/LICENSE":                     "MIT react",
		"graphiql@4.1.2/graphiql.min.js":           "js",
		"graphiql@4.1.2/graphiql.min.css":          "css",
		"graphiql@4.1.2/LICENSE.md":                "MIT graphiql",
	}
	if len(files) != len(want) {
		t.Errorf("got %d files, want %d", len(files), len(want))
	}
	for name, content := range want {
		if string(files[name]) != content {
			t.Errorf("%s: %q, want %q", name, files[name], content)
		}
	}
}

func TestCollectRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(fakeRegistry, []pageAsset)
		want   string
	}{
		{"a file that does not match the page's hash", func(r fakeRegistry, _ []pageAsset) {
			r["graphiql@4.1.2"]["graphiql.min.js"] = "tampered"
		}, "graphiql@4.1.2/graphiql.min.js: content is sha256-"},
		{"a package without a licence", func(r fakeRegistry, _ []pageAsset) {
			delete(r["react@18.2.0"], "LICENSE")
		}, "react@18.2.0: the package has no licence file"},
		{"a file the package does not have", func(r fakeRegistry, _ []pageAsset) {
			delete(r["graphiql@4.1.2"], "graphiql.min.css")
		}, "graphiql@4.1.2: the package has no graphiql.min.css"},
		{"a tarball of another version", func(r fakeRegistry, _ []pageAsset) {
			r["react@18.2.0"]["package.json"] = `{"name":"react","version":"18.3.1"}`
		}, "the tarball is react@18.3.1, not react@18.2.0"},
		{"an integrity value of an unknown kind", func(_ fakeRegistry, p []pageAsset) {
			p[0].integrity = "md5-abc"
		}, `integrity value "md5-abc"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, p := registry(), page()
			tc.change(r, p)
			_, err := collect(p, r.pack(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A failed refresh leaves the folder as it was; a good one replaces it whole.
func TestReplaceDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "assets")
	if err := replaceDir(dir, map[string][]byte{"old@1.0.0/a.js": []byte("old")}); err != nil {
		t.Fatal(err)
	}
	if err := replaceDir(dir, map[string][]byte{"new@2.0.0/umd/b.js": []byte("new")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old@1.0.0")); !os.IsNotExist(err) {
		t.Errorf("the old version is still there: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "new@2.0.0", "umd", "b.js")); err != nil || string(b) != "new" {
		t.Errorf("new file: %q %v", b, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".refresh-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}
}

// The table names exactly what gqlgen's page names, as Go that compiles.
func TestGqlgenPageAndTable(t *testing.T) {
	p, err := gqlgenPage()
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 4 {
		t.Fatalf("gqlgen's page has %d assets, want 4", len(p))
	}
	for _, a := range p {
		if a.pkg == "" || a.version == "" || a.file == "" || !strings.HasPrefix(a.integrity, "sha") {
			t.Errorf("incomplete: %+v", a)
		}
	}
	src, err := tableSource(p, "v0.0.0")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p {
		if !strings.Contains(string(src), a.name+" = Asset{"+`"`+a.pkg+`", "`+a.version+`", "`+a.file+`"`) {
			t.Errorf("table lacks %s:\n%s", a.name, src)
		}
	}
	// The table in the repository is what this program writes for the
	// gqlgen in go.mod: a gqlgen upgrade without a refresh fails here.
	committed, err := os.ReadFile(filepath.Join("..", "..", "pageassets.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := tableSource(p, gqlgenVersion()); !bytes.Equal(committed, want) {
		t.Errorf("graphiql/pageassets.go is not what scripts/refresh-graphiql-assets writes for this gqlgen:\n%s", want)
	}
}

func TestSplitCDNURL(t *testing.T) {
	for _, tc := range []struct{ url, pkg, version, file string }{
		{"https://cdn.jsdelivr.net/npm/react@18.2.0/umd/react.production.min.js", "react", "18.2.0", "umd/react.production.min.js"},
		{"https://cdn.jsdelivr.net/npm/@graphiql/plugin-explorer@4.0.6/dist/index.umd.js", "@graphiql/plugin-explorer", "4.0.6", "dist/index.umd.js"},
	} {
		pkg, version, file, err := splitCDNURL(tc.url)
		if err != nil || pkg != tc.pkg || version != tc.version || file != tc.file {
			t.Errorf("%s: %q %q %q %v", tc.url, pkg, version, file, err)
		}
	}
	for _, bad := range []string{
		"https://unpkg.com/react@18.2.0/umd/react.production.min.js",
		"https://cdn.jsdelivr.net/npm/react/umd/react.production.min.js",
		"https://cdn.jsdelivr.net/npm/react@/umd/react.production.min.js",
		"https://cdn.jsdelivr.net/npm/react@18.2.0",
	} {
		if _, _, _, err := splitCDNURL(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
