package graph

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/plugin/federation/fedruntime"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// nodeFieldsOut leaves Query.node and Query.nodes out of the SDL the
// subgraph publishes (`{ _service { sdl } }`), for a supergraph in which
// another subgraph owns Relay's node resolution: two subgraphs defining
// Query.node do not compose. The fields still answer direct requests; the
// supergraph reaches our objects by their global id through _entities
// instead (the `@key(fields: "id")` of AIGateway and AIGatewayLog).
//
// gqlgen's federation plugin serves the schema file as written and has no
// option to hide fields, so the answer of _service is rewritten here, once.
type nodeFieldsOut struct {
	once sync.Once
	sdl  string
}

var _ interface {
	graphql.HandlerExtension
	graphql.FieldInterceptor
} = (*nodeFieldsOut)(nil)

func (*nodeFieldsOut) ExtensionName() string                   { return "NodeFieldsOutOfSubgraphSDL" }
func (*nodeFieldsOut) Validate(graphql.ExecutableSchema) error { return nil }

func (n *nodeFieldsOut) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Query" || fc.Field.Name != "_service" {
		return next(ctx)
	}
	res, err := next(ctx)
	svc, ok := res.(fedruntime.Service)
	if err != nil || !ok {
		return res, err
	}
	n.once.Do(func() { n.sdl = withoutQueryFields(svc.SDL, "node", "nodes") })
	return fedruntime.Service{SDL: n.sdl}, nil
}

// withoutQueryFields reprints an SDL without the named fields of Query.
// The SDL is our own schema file, which gqlgen has parsed already; should
// it not parse, it is served unchanged rather than not at all.
func withoutQueryFields(sdl string, names ...string) string {
	doc, err := parser.ParseSchema(&ast.Source{Input: sdl})
	if err != nil {
		return sdl
	}
	drop := map[string]bool{}
	for _, name := range names {
		drop[name] = true
	}
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range defs {
			if def.Name != "Query" {
				continue
			}
			kept := def.Fields[:0]
			for _, f := range def.Fields {
				if !drop[f.Name] {
					kept = append(kept, f)
				}
			}
			def.Fields = kept
		}
	}
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	return b.String()
}
