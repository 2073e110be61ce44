package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The README's "How it works" shows the packages and their imports as
// `go list` sees them, drawn by this test: each package above the ones it
// imports, so that the flow reads top to bottom with no arrow back up.
const (
	graphStart = "<!-- package graph, drawn from go list by TestReadmePackageGraph -->\n"
	graphEnd   = "<!-- end of package graph -->\n"
	modulePath = "github.com/aigw/gqlfacade"
)

// TestReadmePackageGraph fails when the README's package graph is not the
// one the code has; `UPDATE_README=1 go test -run TestReadmePackageGraph .`
// writes the current one.
func TestReadmePackageGraph(t *testing.T) {
	want := drawPackageGraph(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start, end := bytes.Index(readme, []byte(graphStart)), bytes.Index(readme, []byte(graphEnd))
	if start < 0 || end < start {
		t.Fatalf("README.md has no package graph between %q and %q", graphStart, graphEnd)
	}
	got := string(readme[start+len(graphStart) : end])
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") != "" {
		out := slices.Concat(readme[:start+len(graphStart)], []byte(want), readme[end:])
		if err := os.WriteFile("README.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("README.md's package graph is not the code's; run `UPDATE_README=1 go test -run TestReadmePackageGraph .`. The code's:\n%s", want)
}

// drawPackageGraph lists the module's non-test packages, each with the
// module packages it imports, highest layer first: a package's layer is
// one above the highest of its imports.
func drawPackageGraph(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name := shortName(p.ImportPath)
		imports[name] = nil
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, modulePath) {
				imports[name] = append(imports[name], shortName(imp))
			}
		}
	}
	layer := map[string]int{}
	var layerOf func(string) int
	layerOf = func(p string) int {
		if l, ok := layer[p]; ok {
			return l
		}
		l := 0
		for _, imp := range imports[p] {
			l = max(l, layerOf(imp)+1)
		}
		layer[p] = l
		return l
	}
	names := make([]string, 0, len(imports))
	for p := range imports {
		layerOf(p)
		names = append(names, p)
	}
	slices.SortFunc(names, func(a, b string) int {
		if layer[a] != layer[b] {
			return layer[b] - layer[a]
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	b.WriteString("```\n")
	for _, p := range names {
		imps := imports[p]
		slices.Sort(imps)
		if len(imps) == 0 {
			fmt.Fprintf(&b, "%s\n", p)
			continue
		}
		fmt.Fprintf(&b, "%-18s → %s\n", p, strings.Join(imps, ", "))
	}
	b.WriteString("```\n")
	return b.String()
}

func shortName(importPath string) string {
	if importPath == modulePath {
		return "main"
	}
	return strings.TrimPrefix(importPath, modulePath+"/")
}
