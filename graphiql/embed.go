package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

// embedded holds the files of PageAssets, each in its package's folder
// beside the package's licence, laid out like the CDN.
//
//go:embed assets
var embedded embed.FS

// embeddedAssets is embedded without its top folder.
func embeddedAssets() fs.FS {
	sub, err := fs.Sub(embedded, "assets")
	if err != nil {
		panic(err) // "assets" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}

// EmbeddedAssets serves the files the page loads from the binary itself,
// under the CDN's paths like Assets, so that GraphiQL needs neither the
// internet nor a directory.
func EmbeddedAssets() http.Handler {
	fsys := embeddedAssets()
	return assetServer{open: func() (fs.FS, func(), error) { return fsys, func() {}, nil }}
}
