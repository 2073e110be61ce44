package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// WriteError answers r with status and one error, for the layers in front
// of GraphQL (body limit, in-flight bound): in the media type r accepts, as
// the transports answer, and without "data", since nothing ran.
func WriteError(w http.ResponseWriter, r *http.Request, status int, err *gqlerror.Error) {
	w.Header().Set("Content-Type", responseMediaType(r))
	w.WriteHeader(status)
	writeResponse(w, &graphql.Response{Errors: gqlerror.List{err}})
}
