package fastpath

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// kind is what one selected field writes; each is one case of the
// renderer's switches.
type kind uint8

const (
	kindTypename kind = iota + 1
	// The logs connection.
	kindEdges
	kindNodes
	kindPageInfo
	kindTotalCount
	kindSummary
	// An edge.
	kindCursor
	kindNode
	// Page info.
	kindHasNextPage
	kindHasPreviousPage
	kindStartCursor
	kindEndCursor
	// The summary's figures.
	kindMinCost
	kindMaxCost
	kindMinDuration
	kindMaxDuration
	kindMinTokensIn
	kindMaxTokensIn
	kindMinTokensOut
	kindMaxTokensOut
	kindMinTotalTokens
	kindMaxTotalTokens
	// A log's plain fields: those bound to model.Log's methods, with no
	// resolver and no upstream call of their own.
	kindID
	kindLogID
	kindCreatedAt
	kindProvider
	kindModel
	kindModelType
	kindPath
	kindSuccess
	kindCached
	kindStatusCode
	kindDuration
	kindTokensIn
	kindTokensOut
	kindCost
	kindCustomCost
	kindMetadata
	kindRequestContentType
	kindResponseContentType
	kindRequestType
	kindStep
)

// typeShape is one object type the fast path writes: its name as the
// schema spells it, the names its fragments may be on (the type and its
// interfaces, as gqlgen's generated code collects them), and the fields it
// can write with each one's child type.
type typeShape struct {
	name         string
	implementors []string
	fields       map[string]fieldShape
}

type fieldShape struct {
	kind  kind
	child *typeShape // for object and list-of-object fields
}

// shape is the part of the schema the fast path serves: the query root's
// logs connection, down to the plain fields of a log. Every type name is
// read from the schema (from Query.logs down), so that renaming a type
// renames it here too; field names are the API's and fixed.
type shape struct {
	query string // the query root's name
	conn  *typeShape
}

// field is one field the fast path writes, with the GraphQL type the
// schema must give it: where the schema says otherwise the field is left
// to gqlgen (the renderer would write another type's form).
type field struct {
	name string
	kind kind
	typ  string // e.g. "String!"; "%s" stands for the child type's name
}

var (
	connFields = []field{{"edges", kindEdges, "[%s!]!"}, {"nodes", kindNodes, "[%s!]!"}, {"pageInfo", kindPageInfo, "%s!"}, {"totalCount", kindTotalCount, "Int!"}, {"summary", kindSummary, "%s!"}}
	edgeFields = []field{{"cursor", kindCursor, "String!"}, {"node", kindNode, "%s!"}}
	pageFields = []field{{"hasNextPage", kindHasNextPage, "Boolean!"}, {"hasPreviousPage", kindHasPreviousPage, "Boolean!"}, {"startCursor", kindStartCursor, "String"}, {"endCursor", kindEndCursor, "String"}}
	sumFields  = []field{
		{"minCost", kindMinCost, "Float"}, {"maxCost", kindMaxCost, "Float"},
		{"minDuration", kindMinDuration, "Float"}, {"maxDuration", kindMaxDuration, "Float"},
		{"minTokensIn", kindMinTokensIn, "Float"}, {"maxTokensIn", kindMaxTokensIn, "Float"},
		{"minTokensOut", kindMinTokensOut, "Float"}, {"maxTokensOut", kindMaxTokensOut, "Float"},
		{"minTotalTokens", kindMinTotalTokens, "Float"}, {"maxTotalTokens", kindMaxTotalTokens, "Float"},
	}
	logFields = []field{
		{"id", kindID, "ID!"}, {"logId", kindLogID, "String!"}, {"createdAt", kindCreatedAt, "DateTime!"},
		{"provider", kindProvider, "String!"}, {"model", kindModel, "String!"}, {"modelType", kindModelType, "String"},
		{"path", kindPath, "String!"}, {"success", kindSuccess, "Boolean!"}, {"cached", kindCached, "Boolean!"},
		{"statusCode", kindStatusCode, "Int"}, {"duration", kindDuration, "Int!"}, {"tokensIn", kindTokensIn, "Int"},
		{"tokensOut", kindTokensOut, "Int"}, {"cost", kindCost, "Float"}, {"customCost", kindCustomCost, "Boolean"},
		{"metadata", kindMetadata, "JSON"}, {"requestContentType", kindRequestContentType, "String"},
		{"responseContentType", kindResponseContentType, "String"}, {"requestType", kindRequestType, "String"},
		{"step", kindStep, "Int"},
	}
)

// newShape reads the shape from the schema; it fails when the schema has no
// Query.logs connection of the form the renderer writes.
func newShape(s *ast.Schema) (*shape, error) {
	if s == nil || s.Query == nil {
		return nil, fmt.Errorf("fastpath: the schema has no query type")
	}
	logs := s.Query.Fields.ForName("logs")
	if logs == nil || logs.Type.NamedType == "" {
		return nil, fmt.Errorf("fastpath: the schema has no field %s.logs returning an object", s.Query.Name)
	}
	conn := newType(s, logs.Type.NamedType)
	// The children, named by the connection's own fields.
	edge := newType(s, elemName(s, conn.name, "edges"))
	log := newType(s, elemName(s, conn.name, "nodes"))
	page := newType(s, elemName(s, conn.name, "pageInfo"))
	sum := newType(s, elemName(s, conn.name, "summary"))
	addFields(s, conn, connFields, map[kind]*typeShape{kindEdges: edge, kindNodes: log, kindPageInfo: page, kindSummary: sum})
	addFields(s, edge, edgeFields, map[kind]*typeShape{kindNode: log})
	addFields(s, page, pageFields, nil)
	addFields(s, sum, sumFields, nil)
	addFields(s, log, logFields, nil)
	return &shape{query: s.Query.Name, conn: conn}, nil
}

func newType(s *ast.Schema, name string) *typeShape {
	t := &typeShape{name: name, implementors: []string{name}, fields: map[string]fieldShape{"__typename": {kind: kindTypename}}}
	if def := s.Types[name]; def != nil {
		t.implementors = append(t.implementors, def.Interfaces...)
	}
	return t
}

// elemName is the named type of field fieldName of type typeName, "" if
// there is none.
func elemName(s *ast.Schema, typeName, fieldName string) string {
	def := s.Types[typeName]
	if def == nil {
		return ""
	}
	f := def.Fields.ForName(fieldName)
	if f == nil {
		return ""
	}
	return f.Type.Name()
}

// addFields adds to t each field of fs whose type in the schema is the
// one the renderer writes; any other is left out, so that a query
// selecting it goes to gqlgen.
func addFields(s *ast.Schema, t *typeShape, fs []field, children map[kind]*typeShape) {
	def := s.Types[t.name]
	if def == nil || def.Kind != ast.Object {
		return
	}
	for _, f := range fs {
		fd := def.Fields.ForName(f.name)
		if fd == nil || len(fd.Arguments) > 0 {
			continue
		}
		child := children[f.kind]
		want := f.typ
		if child != nil {
			want = fmt.Sprintf(f.typ, child.name)
		}
		if fd.Type.String() != want {
			continue
		}
		t.fields[f.name] = fieldShape{kind: f.kind, child: child}
	}
}
