// Package graphiql serves gqlgen's GraphiQL page with its JavaScript and CSS
// loaded from a base URL of our choosing instead of the public CDN, and
// serves those files from a local directory, so that GraphiQL works where no
// CDN can be reached (air-gapped deployments, CI without internet).
//
// The page is gqlgen's own (graphql/playground), unchanged but for the asset
// URLs: the same npm packages, the same versions, the same Subresource
// Integrity hashes. Self-hosted files pass SRI because npm serves the very
// bytes the CDN serves for those versions.
package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// CDNBaseURL is where gqlgen's page loads its assets from by default. An
// asset's URL there is CDNBaseURL + "/" + Asset.Path().
const CDNBaseURL = "https://cdn.jsdelivr.net/npm"

// AssetsPath is where the service mounts Assets by default; an AssetBaseURL
// of AssetsPath makes the page load its assets from there.
const AssetsPath = "/graphiql-assets"

// An Asset is one file that the page loads: a file of an npm package at an
// exact version, and the integrity value the page checks it against.
type Asset struct {
	Package   string // npm package name, e.g. "react-dom"
	Version   string // exact npm version
	File      string // path inside the package
	Integrity string // the page's SRI value, "sha256-<base64>"
}

// Path is the asset's path under a base URL, laid out as the CDN lays out
// npm files: <package>@<version>/<file>.
func (a Asset) Path() string { return a.Package + "@" + a.Version + "/" + a.File }

// These are gqlgen v0.17.98's defaults (playground.Handler). A test renders
// gqlgen's default page and fails when they drift apart, e.g. after a gqlgen
// upgrade; then update them here and the versions in e2e/package.json.
// gqlgen's optional explorer plugin is not among them: its default CSS URL is
// a file that the CDN minifies on the fly and that no npm package contains.
var (
	assetReact = Asset{"react", "18.2.0", "umd/react.production.min.js",
		"sha256-S0lp+k7zWUMk2ixteM6HZvu8L9Eh//OVrt+ZfbCpmgY="}
	assetReactDOM = Asset{"react-dom", "18.2.0", "umd/react-dom.production.min.js",
		"sha256-IXWO0ITNDjfnNXIu5POVfqlgYoop36bDzhodR6LW5Pc="}
	assetGraphiQLCSS = Asset{"graphiql", "4.1.2", "graphiql.min.css",
		"sha256-MEh+B2NdMSpj9kexQNN3QKc8UzMrCXW/Sx/phcpuyIU="}
	assetGraphiQLJS = Asset{"graphiql", "4.1.2", "graphiql.min.js",
		"sha256-hnImuor1znlJkD/FOTL3jayfS/xsyNoP04abi8bFJWs="}
)

// PageAssets lists the files the page loads, in the order it loads them.
func PageAssets() []Asset {
	return []Asset{assetReact, assetReactDOM, assetGraphiQLCSS, assetGraphiQLJS}
}

// VerifyAssets checks that dir (laid out as Assets expects) holds every
// file the page loads, byte for byte as its integrity value says. A server
// can call it at startup, so that a wrong directory fails there rather than
// as a blank page in a browser.
func VerifyAssets(dir string) error {
	return verify(dir, PageAssets())
}

func verify(dir string, assets []Asset) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("graphiql assets: %w", err)
	}
	defer root.Close()
	var errs []error
	for _, a := range assets {
		if err := verifyOne(root, a); err != nil {
			errs = append(errs, fmt.Errorf("graphiql assets in %s: %s: %w", dir, a.Path(), err))
		}
	}
	if len(errs) > 0 {
		errs = append(errs, fmt.Errorf("graphiql assets: point at the node_modules of `npm install %s`, or at unpacked `npm pack` tarballs, one <package>@<version> directory each", strings.Join(npmSpecs(assets), " ")))
	}
	return errors.Join(errs...)
}

// npmSpecs are the packages of assets as npm install arguments.
func npmSpecs(assets []Asset) []string {
	var specs []string
	for _, a := range assets {
		spec := a.Package + "@" + a.Version
		if !slices.Contains(specs, spec) {
			specs = append(specs, spec)
		}
	}
	return specs
}

func verifyOne(root *os.Root, a Asset) error {
	f, err := openAsset(root, a.Package, a.Version, a.File)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := "sha256-" + base64.StdEncoding.EncodeToString(h.Sum(nil)); got != a.Integrity {
		return fmt.Errorf("content is %s, the page expects %s", got, a.Integrity)
	}
	return nil
}
