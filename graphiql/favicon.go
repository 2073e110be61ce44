package graphiql

import (
	_ "embed"
	"net/http"
	"strconv"
)

// FaviconPath is where the service serves Favicon. Browsers ask for it
// there whatever a page links to, so the page links to it there too.
const FaviconPath = "/favicon.ico"

//go:embed favicon.svg
var favicon []byte

// Favicon serves the page's icon, an SVG: every browser that runs
// GraphiQL shows SVG icons, and it is a few hundred readable bytes where
// an ICO would be binary.
func Favicon() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Content-Length", strconv.Itoa(len(favicon)))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "public, max-age=86400")
		if r.Method != http.MethodHead {
			w.Write(favicon)
		}
	})
}
