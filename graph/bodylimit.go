package graph

import (
	"net/http"
)

// limitBody refuses request bodies over max bytes with 413 before gqlgen
// reads them, and caps what a body without Content-Length may stream.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = w.Write([]byte(`{"errors":[{"message":"request body too large","extensions":{"code":"BAD_USER_INPUT"}}],"data":null}`))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}
