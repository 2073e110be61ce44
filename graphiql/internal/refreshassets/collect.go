package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
)

// maxFileSize bounds what is read from a tarball entry that is kept: the
// largest file gqlgen's page loads is about 1 MB.
const maxFileSize = 32 << 20

// licenceName matches the licence files an npm package carries at its top.
var licenceName = regexp.MustCompile(`(?i)^(licen[cs]e|copying)([.-][a-z0-9.-]+)?$`)

// collect fetches each package version of page once and returns the files
// to write, by slash-separated path: <package>@<version>/<file> for each
// asset, and <package>@<version>/<licence> for each licence file of its
// package. Every asset must match its integrity value and every package
// must carry a licence.
func collect(page []pageAsset, pack packFunc) (map[string][]byte, error) {
	tmp, err := os.MkdirTemp("", "graphiql-assets-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var specs []string
	wanted := map[string][]pageAsset{}
	for _, a := range page {
		spec := a.pkg + "@" + a.version
		if wanted[spec] == nil {
			specs = append(specs, spec)
		}
		wanted[spec] = append(wanted[spec], a)
	}
	files := map[string][]byte{}
	var errs []error
	for _, spec := range specs {
		assets := wanted[spec]
		pkg, version := assets[0].pkg, assets[0].version
		tgz, err := pack(pkg, version, tmp)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var names []string
		for _, a := range assets {
			names = append(names, a.file)
		}
		got, licences, err := readTarball(tgz, pkg, version, names)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", spec, err))
			continue
		}
		if len(licences) == 0 {
			errs = append(errs, fmt.Errorf("%s: the package has no licence file", spec))
		}
		for name, data := range licences {
			files[spec+"/"+name] = data
		}
		for _, a := range assets {
			data, ok := got[a.file]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: the package has no %s", spec, a.file))
				continue
			}
			if err := checkIntegrity(data, a.integrity); err != nil {
				errs = append(errs, fmt.Errorf("%s/%s: %w", spec, a.file, err))
				continue
			}
			files[spec+"/"+a.file] = data
		}
	}
	return files, errors.Join(errs...)
}

// readTarball reads an npm tarball: the files named (paths inside the
// package), and the licence files at its top. Its package.json must name
// pkg at version.
func readTarball(tgz, pkg, version string, names []string) (files, licences map[string][]byte, err error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, err
	}
	want := map[string]bool{"package.json": true}
	for _, n := range names {
		want[n] = true
	}
	files, licences = map[string][]byte{}, map[string][]byte{}
	var manifest []byte
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		// npm tarballs hold one top folder, "package" by convention.
		_, name, ok := strings.Cut(path.Clean(strings.TrimPrefix(h.Name, "./")), "/")
		isLicence := ok && !strings.Contains(name, "/") && licenceName.MatchString(name)
		if !ok || (!want[name] && !isLicence) {
			continue
		}
		if h.Size > maxFileSize {
			return nil, nil, fmt.Errorf("%s is %d bytes, more than the %d expected", name, h.Size, maxFileSize)
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxFileSize))
		if err != nil {
			return nil, nil, err
		}
		switch {
		case name == "package.json":
			manifest = data
		case isLicence:
			licences[name] = data
		}
		if want[name] && name != "package.json" {
			files[name] = data
		}
	}
	var meta struct{ Name, Version string }
	if err := json.Unmarshal(manifest, &meta); err != nil {
		return nil, nil, fmt.Errorf("package.json: %w", err)
	}
	if meta.Name != pkg || meta.Version != version {
		return nil, nil, fmt.Errorf("the tarball is %s@%s, not %s@%s", meta.Name, meta.Version, pkg, version)
	}
	return files, licences, nil
}

// checkIntegrity checks data against a Subresource Integrity value of one
// hash, as gqlgen's page gives them.
func checkIntegrity(data []byte, sri string) error {
	algo, want, ok := strings.Cut(sri, "-")
	var h hash.Hash
	switch algo {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		ok = false
	}
	if !ok {
		return fmt.Errorf("integrity value %q is not one sha256, sha384 or sha512 hash", sri)
	}
	h.Write(data)
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("content is %s-%s, the page expects %s", algo, got, sri)
	}
	return nil
}
