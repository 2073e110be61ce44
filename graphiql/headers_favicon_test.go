package graphiql

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// The headers pane is kept in localStorage only when the setting says so;
// the browser behaviour itself is e2e/graphiql.test.mjs's to show.
func TestPageKeepsHeadersOnlyWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		persist bool
		want    string
	}{
		{false, `const persistHeaders =\s*false\s*;`},
		{true, `const persistHeaders =\s*true\s*;`},
	} {
		page := renderPage(t, Handler("t", "/query", Options{PersistHeaders: tc.persist}))
		if !regexp.MustCompile(tc.want).MatchString(page) || !strings.Contains(page, "shouldPersistHeaders: persistHeaders") {
			t.Errorf("PersistHeaders %v: the page does not say %q", tc.persist, tc.want)
		}
	}
}

func TestFavicon(t *testing.T) {
	page := renderPage(t, Handler("t", "/query", Options{}))
	if !strings.Contains(page, `<link rel="icon" type="image/svg+xml" href="`+FaviconPath+`">`) {
		t.Errorf("the page does not link %s", FaviconPath)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		rec := httptest.NewRecorder()
		Favicon().ServeHTTP(rec, httptest.NewRequest(method, FaviconPath, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s %s: %d %q", method, FaviconPath, rec.Code, rec.Header().Get("Content-Type"))
		}
		if method == http.MethodHead {
			if rec.Body.Len() != 0 {
				t.Error("HEAD has a body")
			}
			continue
		}
		var svg struct {
			XMLName xml.Name
			ViewBox string `xml:"viewBox,attr"`
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &svg); err != nil || svg.XMLName.Local != "svg" || svg.ViewBox == "" {
			t.Errorf("not an SVG image (%v): %s", err, rec.Body.String())
		}
	}
}
