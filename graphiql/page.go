package graphiql

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"strings"
)

// Options configure the page.
type Options struct {
	// AssetBaseURL is where the page loads its assets from: each from
	// AssetBaseURL + "/" + Asset.Path(), with its integrity attribute. Empty
	// means AssetsPath on this server, where EmbeddedAssets or Assets is
	// mounted; CDNBaseURL loads them from the public CDN as gqlgen's page
	// does; any other URL is a mirror laid out like the CDN.
	AssetBaseURL string

	// PersistHeaders lets GraphiQL keep what is typed in its headers pane
	// in the browser's localStorage across visits. Off, nothing of it is
	// kept, since headers carry credentials such as API tokens.
	PersistHeaders bool
}

// pageTemplate is gqlgen's GraphiQL page (graphql/playground) trimmed to
// what this service uses, with the headers' persistence a setting (gqlgen
// always persists them) and a favicon.
//
//go:embed page.html
var pageTemplate string

var page = template.Must(template.New("graphiql").Parse(pageTemplate))

type assetRef struct {
	URL       template.URL // trusted: a setting of the operator's, not a request's
	Integrity string
}

type pageData struct {
	Title, Endpoint string
	FaviconURL      string
	React, ReactDOM assetRef
	CSS, JS         assetRef
	PersistHeaders  bool
}

// Handler serves the GraphiQL page for the GraphQL endpoint, a path on this
// server such as "/query".
func Handler(title, endpoint string, opts Options) http.Handler {
	base := strings.TrimRight(opts.AssetBaseURL, "/")
	if base == "" {
		base = AssetsPath
	}
	ref := func(a Asset) assetRef { return assetRef{template.URL(base + "/" + a.Path()), a.Integrity} }
	var buf bytes.Buffer
	err := page.Execute(&buf, pageData{
		Title: title, Endpoint: endpoint, FaviconURL: FaviconPath,
		React: ref(assetReact), ReactDOM: ref(assetReactDOM),
		CSS: ref(assetGraphiQLCSS), JS: ref(assetGraphiQLJS),
		PersistHeaders: opts.PersistHeaders,
	})
	if err != nil {
		panic(err) // the template and its data are fixed at build time
	}
	html := buf.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		// The page changes with the service's settings and version.
		h.Set("Cache-Control", "no-cache")
		w.Write(html)
	})
}
