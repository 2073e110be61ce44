package observe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// readyTimeout bounds one readiness check.
const readyTimeout = 3 * time.Second

// Healthz is the liveness probe: the process serves HTTP, so 200
// {"status":"ok"}. It checks nothing else on purpose: a liveness probe that
// fails when the upstream does would have the orchestrator restart healthy
// replicas.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeStatus(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Readyz is the readiness probe: 200 {"status":"ok"} when check passes,
// else 503 {"status":"unavailable","reason":…} with the check's error. The
// reason is shown to whoever asks, so checks must not put secrets in their
// errors (UpstreamReachable's name the host and port it dialled, no more).
// A nil check always passes.
//
// upstream, if not nil, is run too and reported as "upstream": "reachable"
// or "unreachable" (with "upstream_reason"), but it never makes the answer
// 503: readiness says whether this replica can serve. An upstream outage
// is every replica's at once; taking them all out of the load balancer
// would turn clear GraphQL errors (UPSTREAM_ERROR) into refused connections.
func Readyz(check, upstream func(ctx context.Context) error) http.Handler {
	if check == nil {
		check = func(context.Context) error { return nil }
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		code, body := http.StatusOK, map[string]string{"status": "ok"}
		if err := check(ctx); err != nil {
			code, body = http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()}
		}
		if upstream != nil {
			body["upstream"] = "reachable"
			if err := upstream(ctx); err != nil {
				body["upstream"], body["upstream_reason"] = "unreachable", err.Error()
			}
		}
		writeStatus(w, code, body)
	})
}

func writeStatus(w http.ResponseWriter, code int, body map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// NotShuttingDown fails once serving is done (the context main cancels on
// SIGTERM), so that load balancers stop sending traffic while in-flight
// requests finish.
func NotShuttingDown(serving context.Context) func(context.Context) error {
	return func(context.Context) error {
		if serving.Err() != nil {
			return errors.New("shutting down")
		}
		return nil
	}
}

const (
	dialTimeout = 2 * time.Second
	// reachableTTL: a probe answers from the last dial this recent, so that
	// hammering /readyz cannot turn into a flood of dials upstream.
	reachableTTL = time.Second
)

// UpstreamReachable checks that baseURL's host resolves and accepts a TCP
// connection (no TLS, no HTTP request, no credential), within 2 seconds —
// or, when HTTPS_PROXY/HTTP_PROXY apply to baseURL, that the proxy does, as
// restclient's transport goes through it. A result is reused for one second.
func UpstreamReachable(baseURL string) func(context.Context) error {
	addr, err := dialAddress(baseURL)
	if err != nil {
		return func(context.Context) error { return err }
	}
	var (
		mu   sync.Mutex
		at   time.Time
		last error
	)
	dialer := &net.Dialer{Timeout: dialTimeout}
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if !at.IsZero() && time.Since(at) < reachableTTL {
			return last
		}
		conn, err := dialer.DialContext(ctx, "tcp", addr)
		if err == nil {
			_ = conn.Close()
		} else {
			err = fmt.Errorf("upstream unreachable: %w", err)
		}
		if ctx.Err() == nil { // a probe that gave up says nothing of the upstream
			at, last = time.Now(), err
		}
		return err
	}
}

func dialAddress(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		// The URL itself is not quoted: it could hold user info.
		return "", errors.New("upstream base URL has no host")
	}
	if proxy, err := http.ProxyFromEnvironment(&http.Request{URL: u}); err == nil && proxy != nil {
		u = proxy
	}
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		default:
			return "", errors.New("upstream base URL scheme is not http or https")
		}
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}
