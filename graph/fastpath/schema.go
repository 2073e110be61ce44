// Package fastpath is an executor of our own for the hottest queries: the
// logs connection of Query.logs with a log's plain fields. It is compiled
// once per query document (and per assignment of the variables its
// @include/@skip read) and writes the answer straight from the resolved
// connection, where gqlgen's generated executor makes a field context, a
// boxed result and a marshaller for every field of every log and a
// goroutine for every element of every list. Everything else — other
// operations, other fields, @defer, values it cannot write as gqlgen would
// — goes through gqlgen's generated executor unchanged.
//
// It sits inside gqlgen's executor as the ExecutableSchema's Exec, so that
// parsing, validation, variables, APQ and every extension (the cost limit,
// telemetry) run as they do for any operation; the root fields are
// resolved by gqlgen's runtime and the generated code (arguments, field
// contexts, resolver middleware, recovery, errors) and only the writing of
// the connection is ours. docs/architecture.md has the design; the
// differential test in package graph holds its answers to gqlgen's, byte
// for byte.
package fastpath

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aigw/gqlfacade/graph/generated"
	"github.com/aigw/gqlfacade/graph/model"
)

// wrapped is an ExecutableSchema that runs the operations it compiles
// itself and hands every other one to the schema it wraps.
type wrapped struct {
	graphql.ExecutableSchema
	shape   *shape
	resolve func(ctx context.Context, field graphql.CollectedField, render generated.LogConnectionRenderer) graphql.Marshaler
	ops     *lru.Cache[weak.Pointer[ast.OperationDefinition], *opPlans]
	rootOf  []string // the query root's name, as CollectFields takes it
	served  atomic.Uint64
}

// Served is how many operations the fast path in es has run (0 when es
// has none).
func Served(es graphql.ExecutableSchema) uint64 {
	switch s := es.(type) {
	case *wrapped:
		return s.served.Load()
	case withEvents:
		return s.served.Load()
	}
	return 0
}

// withEvents keeps the wrapped schema's per-event execution of
// subscriptions visible to gqlgen's executor.
type withEvents struct {
	*wrapped
	events graphql.ExecutableSchemaWithEventContext
}

func (w withEvents) ExecWithEventContext(ctx context.Context) graphql.ResponseHandlerWithContext {
	return w.events.ExecWithEventContext(ctx)
}

// cachedOperations bounds the compiled operations, as gqlgen's query
// cache bounds parsed documents. The keys are weak: a plan keeps no
// document in memory that gqlgen's cache has let go.
const cachedOperations = 1000

// Wrap returns es with the fast path in front, or es itself when es is not
// gqlgen's generated schema of this service or its schema has no logs
// connection the fast path can write.
func Wrap(es graphql.ExecutableSchema) graphql.ExecutableSchema {
	resolve, ok := generated.QueryLogsResolver(es)
	if !ok {
		return es
	}
	sh, err := newShape(es.Schema())
	if err != nil {
		return es
	}
	ops, err := lru.New[weak.Pointer[ast.OperationDefinition], *opPlans](cachedOperations)
	if err != nil {
		return es
	}
	s := &wrapped{ExecutableSchema: es, shape: sh, resolve: resolve, ops: ops, rootOf: []string{sh.query}}
	if ev, ok := es.(graphql.ExecutableSchemaWithEventContext); ok {
		return withEvents{wrapped: s, events: ev}
	}
	return s
}

// Exec runs the operation of ctx: compiled when it is in the subset, by
// the wrapped schema otherwise.
func (s *wrapped) Exec(ctx context.Context) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	p := s.planFor(oc)
	var fields []graphql.CollectedField
	if p != nil {
		fields = graphql.CollectFields(oc, oc.Operation.SelectionSet, s.rootOf)
	}
	if p == nil || !p.matches(fields) {
		return s.ExecutableSchema.Exec(ctx)
	}
	s.served.Add(1)
	done := false
	return func(ctx context.Context) *graphql.Response {
		if done { // one answer: no @defer on this path
			return nil
		}
		done = true
		return &graphql.Response{Data: s.execute(ctx, oc, p, fields)}
	}
}

// execute is the generated _Query for the plan's root fields, on gqlgen's
// runtime: the fields resolve concurrently under the operation's root
// resolver middleware, each logs field through the generated resolution
// with the plan's renderer.
func (s *wrapped) execute(ctx context.Context, oc *graphql.OperationContext, p *plan, fields []graphql.CollectedField) []byte {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: s.shape.query})
	out := graphql.NewFieldSet(fields)
	rendered := make([]*renderBuf, len(p.root)) // each written once, by its field's resolution
	defer func() {
		for _, rb := range rendered {
			if rb != nil {
				putRenderBuf(rb)
			}
		}
	}()
	for i := range p.root {
		rf, field := &p.root[i], fields[i]
		innerCtx := graphql.WithRootFieldContext(ctx, &graphql.RootFieldContext{Object: field.Name, Field: field})
		if rf.conn == nil {
			out.Values[i] = graphql.MarshalString(s.shape.query)
			continue
		}
		render := rf.conn.renderer(&rendered[i])
		out.ResolveRootConcurrently(innerCtx, oc, i, true, false, func(ctx context.Context) graphql.Marshaler {
			return s.resolve(ctx, field, render)
		})
	}
	out.Dispatch(ctx)
	if out.Invalids > 0 {
		return []byte("null")
	}
	var buf bytes.Buffer
	buf.Grow(p.sizeHint())
	out.MarshalGQL(&buf)
	p.noteSize(buf.Len())
	return buf.Bytes()
}

// renderer writes the connection for the selection it was compiled from
// into a pooled buffer, which it leaves in *slot for execute to give back
// once the answer is assembled.
func (o *object) renderer(slot **renderBuf) generated.LogConnectionRenderer {
	return func(_ context.Context, _ ast.SelectionSet, c *model.LogConnection) graphql.Marshaler {
		// A walk across gateways has cursors of its own, and a null
		// connection is the generated code's to write.
		if c == nil || c.Merged != nil {
			return nil
		}
		rb := renderBufs.Get().(*renderBuf)
		b, ok := o.appendConnection(slices.Grow(rb.b[:0], o.sizeHint(len(c.Logs))), c)
		rb.b = b
		if !ok {
			putRenderBuf(rb)
			return nil
		}
		o.noteSize(len(b), len(c.Logs))
		*slot = rb
		return rawJSON(b)
	}
}

// renderBuf is a buffer connections are written in, kept in renderBufs
// between requests; one that grew past maxPooledRender is left to the
// collector.
type renderBuf struct{ b []byte }

var renderBufs = sync.Pool{New: func() any { return new(renderBuf) }}

const maxPooledRender = 1 << 20

func putRenderBuf(rb *renderBuf) {
	if cap(rb.b) <= maxPooledRender {
		renderBufs.Put(rb)
	}
}

// opPlans are the plans of one operation, one per assignment of the
// variables its @include/@skip read.
type opPlans struct {
	vars    []string
	subset  bool // false: never compiled (another directive, or too many variables)
	mu      sync.Mutex
	byValue map[string]*plan // a nil plan: not in the subset with these values
}

// plansPerOperation bounds the assignments kept for one operation; past
// it, plans are compiled for each request.
const plansPerOperation = 16

func (s *wrapped) planFor(oc *graphql.OperationContext) *plan {
	if oc == nil || oc.Operation == nil || oc.Doc == nil || oc.Operation.Operation != ast.Query {
		return nil
	}
	opKey := weak.Make(oc.Operation)
	ops, ok := s.ops.Get(opKey)
	if !ok {
		vars, subset := directiveVars(oc.Doc, oc.Operation)
		ops = &opPlans{vars: vars, subset: subset, byValue: map[string]*plan{}}
		s.ops.Add(opKey, ops)
	}
	if !ops.subset {
		return nil
	}
	var keyBuf [maxKeyVars]byte
	key := keyBuf[:0]
	for _, name := range ops.vars {
		switch v, _ := oc.Variables[name].(bool); {
		case oc.Variables[name] == nil:
			key = append(key, '-')
		case v:
			key = append(key, 't')
		default:
			key = append(key, 'f')
		}
	}
	ops.mu.Lock()
	p, ok := ops.byValue[string(key)]
	ops.mu.Unlock()
	if ok {
		return p
	}
	p = compileSafely(s.shape, oc)
	ops.mu.Lock()
	if len(ops.byValue) < plansPerOperation {
		ops.byValue[string(key)] = p
	}
	ops.mu.Unlock()
	return p
}

// compileSafely is compile, with a panic (a document gqlgen's collection
// would refuse the same way) leaving the operation to gqlgen.
func compileSafely(sh *shape, oc *graphql.OperationContext) (p *plan) {
	defer func() {
		if recover() != nil {
			p = nil
		}
	}()
	return compile(sh, oc)
}

// sizeHint and noteSize size the next answer's buffer by the last one, so
// that it is written without growing.
func (p *plan) sizeHint() int  { return int(p.size.Load()) + 64 }
func (p *plan) noteSize(n int) { p.size.Store(int64(n)) }
