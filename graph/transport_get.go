package graph

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// strictGET is GraphQL over HTTP GET: gqlgen's transport.GET, read more
// strictly and answered like our POST (serveParams). It refuses a request
// parameter given twice, since gqlgen runs the first `query=` while a cache,
// proxy or firewall in front of us may read the last, and variables or
// extensions that are not one JSON object alone; and it answers a mutation
// with 405 and Allow: POST, as the GraphQL-over-HTTP specification asks
// (gqlgen: 406 without extensions.code).
type strictGET struct{}

var _ graphql.Transport = strictGET{}

func (strictGET) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet && r.Header.Get("Upgrade") == ""
}

func (strictGET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	mediaType := responseMediaType(r)
	w.Header().Set("Content-Type", mediaType)
	refuse := func(msg string) {
		writeAnswer(w, http.StatusBadRequest, exec.DispatchError(r.Context(), gqlerror.List{badInput(msg)}))
	}
	start := graphql.Now()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		refuse("the query string could not be read: " + err.Error())
		return
	}
	for _, name := range []string{"query", "operationName", "variables", "extensions"} {
		if len(q[name]) > 1 {
			refuse("the request has more than one " + name + " parameter")
			return
		}
	}
	params := graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName"), Headers: r.Header}
	for name, dst := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		if err := decodeObject(q.Get(name), dst); err != nil {
			refuse("the " + name + " parameter must be one JSON object: " + err.Error())
			return
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	serveParams(w, r, exec, &params, mediaType, true)
}

// decodeObject decodes s, if any, into dst: one JSON object (or null) and
// nothing after it.
func decodeObject(s string, dst *map[string]any) error {
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}
