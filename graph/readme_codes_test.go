package graph_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/errcode"
)

// TestReadmeListsEveryCode: the README's Errors section names every
// extensions.code a client may see — each Code… constant of this package,
// and the codes gqlgen sets: parse and validation failures, and an unknown
// persisted query (its constant is not exported).
func TestReadmeListsEveryCode(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section, _, _ := strings.Cut(string(readme[strings.Index(string(readme), "\n## Errors\n")+1:]), "\n## ")
	codes := []string{errcode.ParseFailed, errcode.ValidationFailed, "PERSISTED_QUERY_NOT_FOUND"}
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range f.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.CONST {
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(name.Name, "Code") {
						code, _ := strconv.Unquote(lit.Value)
						codes = append(codes, code)
					}
				}
			}
		}
	}
	if len(codes) < 10 {
		t.Fatalf("found only %d codes: %v", len(codes), codes)
	}
	for _, code := range codes {
		if !strings.Contains(section, "`"+code+"`") {
			t.Errorf("the README's Errors section does not list %s", code)
		}
	}
}
