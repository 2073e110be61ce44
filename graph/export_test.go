package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// NewHandlerWithTransports is the endpoint with other transports, for tests
// that compare ours with gqlgen's on the same stack.
var NewHandlerWithTransports = newHandler

// NewGqlgenHandler is NewHandler without the fast path: every operation
// runs on gqlgen's generated executor, for the tests that compare the two.
func NewGqlgenHandler(r *Resolver) http.Handler {
	return buildHandler(r, false, transport.Options{}, strictGET{}, jsonPOST{}, refuseRequest{})
}
