package graph

import (
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// refuseRequest answers, with a coded error, every request that no
// transport before it serves; without it gqlgen answers those itself with a
// bare "transport not supported" (400, no extensions.code). It supports
// every request, so it must be the last transport.
type refuseRequest struct{}

var _ graphql.Transport = refuseRequest{}

func (refuseRequest) Supports(*http.Request) bool { return true }

func (refuseRequest) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", responseMediaType(r))
	var status int
	var msg string
	switch {
	case r.Header.Get("Upgrade") != "":
		status, msg = http.StatusBadRequest, fmt.Sprintf("this endpoint does not upgrade connections (Upgrade: %s)", r.Header.Get("Upgrade"))
	case r.Method == http.MethodPost:
		status = http.StatusUnsupportedMediaType
		msg = fmt.Sprintf("a POST body must be application/json, not %q", r.Header.Get("Content-Type"))
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		status, msg = http.StatusMethodNotAllowed, fmt.Sprintf("%s is not served here: use GET or POST", r.Method)
	}
	writeAnswer(w, status, exec.DispatchError(r.Context(), gqlerror.List{badInput(msg)}))
}
