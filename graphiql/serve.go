package graphiql

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
)

// Assets serves the files of npm packages from dir under the CDN's paths,
// <package>@<version>/<file>, relative to where it is mounted (use
// http.StripPrefix). dir may be laid out either way:
//
//   - like the CDN: dir/<package>@<version>/<file>, e.g. unpacked `npm pack`
//     tarballs;
//   - like node_modules: dir/<package>/<file>, served only when
//     dir/<package>/package.json has that exact version, so a different
//     version (which would fail SRI in the browser) is a 404 here instead.
//
// Only asset files are served (scripts, style sheets, source maps, fonts,
// images); no directory listings, no dot files, and nothing outside dir,
// whatever the path or a symbolic link says.
func Assets(dir string) http.Handler {
	// Opened per request: cheap next to sending the file, and a directory
	// replaced while the server runs is picked up.
	return assetServer{open: func() (fs.FS, func(), error) {
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, nil, err
		}
		return root.FS(), func() { root.Close() }, nil
	}}
}

// assetServer serves the files of the file system open returns, with done
// called once the answer is written.
type assetServer struct {
	open func() (fsys fs.FS, done func(), err error)
}

// contentTypes are the file types served, by extension; anything else is a 404.
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".map":   "application/json; charset=utf-8",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".svg":   "image/svg+xml",
	".png":   "image/png",
}

var errVersionMismatch = errors.New("another version is installed")

func (s assetServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	pkg, version, file, ok := splitAssetPath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctype, ok := contentTypes[path.Ext(file)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	fsys, done, err := s.open()
	if err != nil {
		http.Error(w, "graphiql assets are unavailable", http.StatusInternalServerError)
		return
	}
	defer done()
	f, err := openAsset(fsys, pkg, version, file)
	if errors.Is(err, errVersionMismatch) {
		http.Error(w, fmt.Sprintf("404 page not found: %s is installed at another version than %s", pkg, version), http.StatusNotFound)
		return
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	content, seekable := f.(io.ReadSeeker) // files of os.Root and of embed.FS both are
	if err != nil || !st.Mode().IsRegular() || !seekable {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	// A versioned path never changes its content.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	// The page loads assets with crossorigin="anonymous" for SRI; this lets
	// it do so from another origin too (a separate asset host).
	h.Set("Access-Control-Allow-Origin", "*")
	http.ServeContent(w, r, "", st.ModTime(), content)
}

var (
	packageName = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$`)
	versionName = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+-]*$`)
)

// splitAssetPath splits "/<package>@<version>/<file>" (package possibly
// scoped, "@scope/name"). It refuses anything but plain names: empty, "."
// and ".." segments, dot files, backslashes and NULs never reach the file
// system.
func splitAssetPath(p string) (pkg, version, file string, ok bool) {
	p = strings.TrimPrefix(p, "/")
	if strings.ContainsAny(p, "\\\x00") {
		return "", "", "", false
	}
	segs := strings.Split(p, "/")
	for _, s := range segs {
		if s == "" || strings.HasPrefix(s, ".") {
			return "", "", "", false
		}
	}
	n := 1 // segments that name the package
	if strings.HasPrefix(segs[0], "@") {
		n = 2
	}
	if len(segs) <= n {
		return "", "", "", false
	}
	spec := strings.Join(segs[:n], "/")
	at := strings.LastIndex(spec, "@")
	if at <= 0 {
		return "", "", "", false
	}
	pkg, version = spec[:at], spec[at+1:]
	if !packageName.MatchString(pkg) || !versionName.MatchString(version) {
		return "", "", "", false
	}
	return pkg, version, strings.Join(segs[n:], "/"), true
}

// openAsset opens file of pkg at version in fsys, in the CDN layout or else
// in the node_modules layout.
func openAsset(fsys fs.FS, pkg, version, file string) (fs.File, error) {
	f, err := fsys.Open(path.Join(pkg+"@"+version, file))
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	manifest, err := fs.ReadFile(fsys, path.Join(pkg, "package.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("neither %s@%s/%s nor %s/package.json exists: %w", pkg, version, file, pkg, fs.ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(manifest, &meta); err != nil {
		return nil, fmt.Errorf("%s/package.json: %w", pkg, err)
	}
	if meta.Version != version {
		return nil, fmt.Errorf("%s is %s, not %s: %w", pkg, meta.Version, version, errVersionMismatch)
	}
	return fsys.Open(path.Join(pkg, file))
}
