package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/aigw/gqlfacade/graph/fastpath"
)

// NewHandlerWithTransports is the endpoint with other transports, for tests
// that compare ours with gqlgen's on the same stack.
var NewHandlerWithTransports = newHandler

// NewGqlgenHandler is NewHandler without the fast path: every operation
// runs on gqlgen's generated executor, for the tests that compare the two.
func NewGqlgenHandler(r *Resolver) http.Handler {
	h, _ := buildHandler(r, false, transport.Options{}, strictGET{}, jsonPOST{}, refuseRequest{})
	return h
}

// NewHandlerServed is NewHandler, with a count of the operations its fast
// path has run.
func NewHandlerServed(r *Resolver) (http.Handler, func() uint64) {
	h, exec := buildHandler(r, true, transport.Options{}, strictGET{}, jsonPOST{}, refuseRequest{})
	return h, func() uint64 { return fastpath.Served(exec) }
}
