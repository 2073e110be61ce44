package graphiql

import (
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// Options configure the page.
type Options struct {
	// AssetBaseURL replaces CDNBaseURL in the page's asset URLs: each asset
	// is loaded from AssetBaseURL + "/" + Asset.Path(), with its integrity
	// attribute unchanged. It may be a path on this server (e.g. AssetsPath,
	// where Assets is mounted) or an absolute URL of a mirror laid out like
	// the CDN. Empty keeps gqlgen's default CDN URLs.
	AssetBaseURL string
}

// Handler serves gqlgen's GraphiQL page for the GraphQL endpoint.
func Handler(title, endpoint string, opts Options) http.Handler {
	base := strings.TrimRight(opts.AssetBaseURL, "/")
	if base == "" {
		return playground.Handler(title, endpoint)
	}
	url := func(a Asset) string { return base + "/" + a.Path() }
	return playground.Handler(title, endpoint,
		playground.WithGraphiqlVersion(url(assetGraphiQLJS), url(assetGraphiQLCSS),
			assetGraphiQLJS.Integrity, assetGraphiQLCSS.Integrity),
		playground.WithGraphiqlReactVersion(url(assetReact), url(assetReactDOM),
			assetReact.Integrity, assetReactDOM.Integrity),
	)
}
