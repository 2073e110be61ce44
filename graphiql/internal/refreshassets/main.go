// Command refreshassets makes the GraphiQL files that the service embeds
// the ones that gqlgen's GraphiQL page names: it reads the page's asset URLs
// and integrity hashes from gqlgen itself (the version in go.mod), fetches
// exactly those npm package versions with `npm pack`, copies the files the
// page loads and each package's licence into graphiql/assets, checks every
// file against the page's integrity hash, and writes graphiql/pageassets.go,
// the table the page is rendered from.
//
// Run it through scripts/refresh-graphiql-assets, from anywhere in the
// repository, after upgrading gqlgen. It needs npm and access to the npm
// registry; nothing is written unless every file checks out.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

const gqlgenModule = "github.com/99designs/gqlgen"

func main() {
	assetsDir := flag.String("assets", filepath.Join("graphiql", "assets"), "folder the files go to (replaced as a whole)")
	table := flag.String("table", filepath.Join("graphiql", "pageassets.go"), "Go file the asset table is written to")
	npm := flag.String("npm", "npm", "npm command")
	flag.Parse()
	if err := run(*assetsDir, *table, npmPack(*npm)); err != nil {
		fmt.Fprintln(os.Stderr, "refresh-graphiql-assets:", err)
		os.Exit(1)
	}
}

func run(assetsDir, table string, pack packFunc) error {
	page, err := gqlgenPage()
	if err != nil {
		return err
	}
	files, err := collect(page, pack)
	if err != nil {
		return err
	}
	src, err := tableSource(page, gqlgenVersion())
	if err != nil {
		return err
	}
	if err := replaceDir(assetsDir, files); err != nil {
		return err
	}
	if err := os.WriteFile(table, src, 0o644); err != nil {
		return err
	}
	for _, a := range page {
		fmt.Printf("%s@%s/%s %s\n", a.pkg, a.version, a.file, a.integrity)
	}
	return nil
}

// pageAsset is one file of gqlgen's page: the variable of graphiql's table
// it becomes, and the npm file and integrity value it names.
type pageAsset struct {
	name               string
	pkg, version, file string
	integrity          string
}

// gqlgenPage reads gqlgen's default asset URLs and hashes from the page's
// configuration: an option sees it after gqlgen has filled in its
// defaults, so no HTML needs parsing.
func gqlgenPage() ([]pageAsset, error) {
	var c playground.GraphiqlConfig
	playground.Handler("", "/", func(cfg *playground.GraphiqlConfig) { c = *cfg })
	roles := []struct {
		name string
		url  template.URL
		sri  string
	}{
		{"assetReact", c.ReactUrl, c.ReactSRI},
		{"assetReactDOM", c.ReactDOMUrl, c.ReactDOMSRI},
		{"assetGraphiQLCSS", c.CssUrl, c.CssSRI},
		{"assetGraphiQLJS", c.JsUrl, c.JsSRI},
	}
	var out []pageAsset
	for _, r := range roles {
		pkg, version, file, err := splitCDNURL(string(r.url))
		if err != nil {
			return nil, fmt.Errorf("gqlgen's page: %w", err)
		}
		out = append(out, pageAsset{r.name, pkg, version, file, r.sri})
	}
	return out, nil
}

const cdnBase = "https://cdn.jsdelivr.net/npm/"

// splitCDNURL splits a jsDelivr npm URL, cdnBase + "<package>@<version>/<file>".
func splitCDNURL(u string) (pkg, version, file string, err error) {
	rest, ok := strings.CutPrefix(u, cdnBase)
	if !ok {
		return "", "", "", fmt.Errorf("%s is not under %s", u, cdnBase)
	}
	n := 1 // path segments that name the package: 2 for "@scope/name"
	if strings.HasPrefix(rest, "@") {
		n = 2
	}
	segs := strings.SplitN(rest, "/", n+1)
	if len(segs) <= n {
		return "", "", "", fmt.Errorf("%s names no file", u)
	}
	spec := strings.Join(segs[:n], "/")
	at := strings.LastIndex(spec, "@")
	if at <= 0 || at == len(spec)-1 {
		return "", "", "", fmt.Errorf("%s names no exact version", u)
	}
	return spec[:at], spec[at+1:], segs[n], nil
}

// gqlgenVersion is the gqlgen module this program was built with, which
// `go run` takes from go.mod.
func gqlgenVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == gqlgenModule {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}

// packFunc fetches pkg@version's npm tarball into dir and returns its path.
type packFunc func(pkg, version, dir string) (string, error)

// npmPack uses npm itself, so that the registry, proxy and credentials are
// whatever npm is configured with, and npm checks the tarball against the
// registry's integrity value.
func npmPack(npm string) packFunc {
	return func(pkg, version, dir string) (string, error) {
		cmd := exec.Command(npm, "pack", "--json", "--ignore-scripts", "--pack-destination", dir, pkg+"@"+version)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("npm pack %s@%s: %w", pkg, version, err)
		}
		var packed []struct {
			Filename string `json:"filename"`
		}
		if err := json.Unmarshal(out, &packed); err != nil || len(packed) != 1 || packed[0].Filename == "" {
			return "", fmt.Errorf("npm pack %s@%s: unexpected output %.200q", pkg, version, out)
		}
		return filepath.Join(dir, filepath.Base(packed[0].Filename)), nil
	}
}

// replaceDir writes files (slash-separated paths) into a fresh folder next
// to dir and then swaps it in, so that a failure leaves dir as it was.
func replaceDir(dir string, files map[string][]byte) error {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".refresh-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for name, data := range files {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, dir)
}
