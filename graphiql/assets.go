// Package graphiql serves a GraphiQL page for the GraphQL endpoint and the
// files it loads, embedded in the binary, so that GraphiQL works where no
// CDN can be reached (air-gapped deployments, CI without internet). The page
// can load them from a local directory or the public CDN instead.
//
// The files are the ones gqlgen's own GraphiQL page (graphql/playground)
// loads: the same npm packages, the same versions, the same Subresource
// Integrity hashes (pageassets.go, written with assets/ by
// scripts/refresh-graphiql-assets). Self-hosted files pass SRI because npm
// serves the very bytes the CDN serves for those versions.
package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// CDNBaseURL is where gqlgen's page loads its assets from by default. An
// asset's URL there is CDNBaseURL + "/" + Asset.Path().
const CDNBaseURL = "https://cdn.jsdelivr.net/npm"

// AssetsPath is where the service mounts EmbeddedAssets or Assets, and where
// the page loads its assets from unless Options.AssetBaseURL says otherwise.
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
	if err := verifyFS(root.FS(), assets); err != nil {
		return fmt.Errorf("graphiql assets in %s: %w\ngraphiql assets: point at the node_modules of `npm install %s`, or at unpacked `npm pack` tarballs, one <package>@<version> directory each", dir, err, strings.Join(npmSpecs(assets), " "))
	}
	return nil
}

// verifyFS checks that fsys holds each of assets as its integrity value says.
func verifyFS(fsys fs.FS, assets []Asset) error {
	var errs []error
	for _, a := range assets {
		if err := verifyOne(fsys, a); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Path(), err))
		}
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

func verifyOne(fsys fs.FS, a Asset) error {
	f, err := openAsset(fsys, a.Package, a.Version, a.File)
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
