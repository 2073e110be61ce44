// Package testenv is the real network under the tests: the simulated
// upstream (cfsim) on a 127.0.0.1 listener and a restclient.Client over it,
// both released when the test ends. It imports no part of the service
// above restclient, so any package's tests can use it, internal ones
// included; internal/apptest adds the whole service on top.
package testenv

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/restclient"
)

// APIPath is where the upstream's API starts on its host: the part of an
// API base URL after the host.
const APIPath = "/client/v4"

// Upstream serves a cfsim.Server built from opts on a loopback listener
// and returns it with the API base URL to give restclient (or
// app.Config.APIBaseURL). The listener closes when the test ends.
func Upstream(t testing.TB, opts cfsim.Options) (*cfsim.Server, string) {
	t.Helper()
	sim := cfsim.New(opts)
	return sim, Serve(t, sim)
}

// Serve is Upstream for a handler of the test's own (a cfsim.Server
// wrapped to observe what reaches it, or a fake upstream): it serves h on
// a loopback listener and returns the API base URL.
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + APIPath
}

// Client is a restclient.Client for the API at baseURL. opts pass through;
// without an HTTPClient it gets restclient's tuned one, whose idle
// connections are closed when the test ends (so leak checks see none).
func Client(t testing.TB, baseURL string, opts restclient.Options) *restclient.Client {
	t.Helper()
	if opts.HTTPClient == nil {
		hc := restclient.NewHTTPClient(0)
		t.Cleanup(hc.CloseIdleConnections)
		opts.HTTPClient = hc
	}
	opts.BaseURL = baseURL
	c, err := restclient.New(opts)
	if err != nil {
		t.Fatalf("restclient.New: %v", err)
	}
	return c
}
