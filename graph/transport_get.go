package graph

import (
	"net/http"
	"net/url"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// strictGET is gqlgen's GET transport, refusing a request parameter given
// twice: gqlgen runs the first `query=`, while a cache, proxy or firewall in
// front of us may read the last.
type strictGET struct{ transport.GET }

var _ graphql.Transport = strictGET{}

func (g strictGET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil { // else gqlgen refuses it
		for _, name := range []string{"query", "operationName", "variables", "extensions"} {
			if len(q[name]) > 1 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				writeResponse(w, exec.DispatchError(r.Context(), gqlerror.List{badInput("the request has more than one " + name + " parameter")}))
				return
			}
		}
	}
	g.GET.Do(w, r, exec)
}
