package graph

import (
	"fmt"
	"net/http"
)

// limitBody refuses request bodies over max bytes with 413 before gqlgen
// reads them, and caps what a body without Content-Length may stream (the
// POST transport answers 413 when it reaches the cap).
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeBodyTooLarge(w, r, max)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// writeBodyTooLarge answers 413 BAD_USER_INPUT to a request whose body is
// over the limit, and closes the connection after it: the rest of the body
// is still on its way. Full duplex keeps net/http from reading up to 256 KiB
// of that rest before it writes the answer, which would wait on the client;
// whatever reads the rest does so after the answer is out (the service
// drains a bounded amount of it, so that a client that writes its whole body
// before it reads gets this answer rather than a reset).
func writeBodyTooLarge(w http.ResponseWriter, r *http.Request, max int64) {
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex() // not every writer can; then net/http's own behaviour stands
	w.Header().Set("Connection", "close")
	WriteError(w, r, http.StatusRequestEntityTooLarge, badInput(fmt.Sprintf("the request body is over the limit of %d bytes", max)))
	_ = rc.Flush()
}
