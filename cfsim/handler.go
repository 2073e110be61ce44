package cfsim

import (
	"io"
	"net/http"
	"strings"

	"github.com/aigw/gqlfacade/internal/timex"
)

// basePath is the prefix of Cloudflare's API base URL. The handler serves
// both with and without it, so it can be mounted at a server's root and
// clients may be configured with either base URL.
const basePath = "/client/v4"

// maxRequestBody caps what is read of a request body (a PATCH is a few
// hundred bytes); a longer body is refused with 400.
const maxRequestBody = 1 << 20

// routeKind tells the endpoints apart.
type routeKind int

const (
	routeGateways    routeKind = iota + 1 // …/gateways
	routeGateway                          // …/gateways/{id}
	routeLogs                             // …/gateways/{g}/logs
	routeLog                              // …/gateways/{g}/logs/{id}
	routeLogRequest                       // …/gateways/{g}/logs/{id}/request
	routeLogResponse                      // …/gateways/{g}/logs/{id}/response
)

// allow is the Allow header of a route's 405.
func (k routeKind) allow() string {
	switch k {
	case routeLog:
		return "GET, PATCH"
	case routeLogs:
		return "GET, DELETE"
	}
	return http.MethodGet
}

func (k routeKind) allows(method string) bool {
	return method == http.MethodGet || (k == routeLog && method == http.MethodPatch) || (k == routeLogs && method == http.MethodDelete)
}

// route is a parsed URL.
type route struct {
	kind                        routeKind
	accountID, gatewayID, logID string // empty when the route has none
}

// parseRoute matches /accounts/{account_id}/ai-gateway/gateways[/{gateway_id}[/logs[/{id}[/request|/response]]]].
// An empty segment anywhere (a trailing slash, "//") is no route.
func parseRoute(path string) (route, bool) {
	if strings.HasPrefix(path, basePath+"/") {
		path = path[len(basePath):]
	}
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < 4 || len(seg) > 8 || seg[0] != "accounts" || seg[1] == "" || seg[2] != "ai-gateway" || seg[3] != "gateways" {
		return route{}, false
	}
	for _, s := range seg[4:] {
		if s == "" {
			return route{}, false
		}
	}
	rt := route{kind: routeGateways, accountID: seg[1]}
	if len(seg) >= 5 {
		rt.kind, rt.gatewayID = routeGateway, seg[4]
	}
	if len(seg) >= 6 {
		if seg[5] != "logs" {
			return route{}, false
		}
		rt.kind = routeLogs
	}
	if len(seg) >= 7 {
		rt.kind, rt.logID = routeLog, seg[6]
	}
	if len(seg) == 8 {
		switch seg[7] {
		case "request":
			rt.kind = routeLogRequest
		case "response":
			rt.kind = routeLogResponse
		default:
			return route{}, false
		}
	}
	return rt, true
}

// ServeHTTP answers in the upstream's order of checks: route, method,
// (injected fault), credentials, account, query/body validation, gateway or
// log, data.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.flight.enter()
	defer s.flight.leave()
	slot := s.reqs.begin(r, s.now())
	status := StatusDropped
	// Deferred so that a dropped connection (which may panic with
	// http.ErrAbortHandler) is still recorded.
	defer func() { s.reqs.finish(slot, status) }()

	body := readRequestBody(r)
	slot.req.Body = string(body)

	if timex.Sleep(r.Context(), s.latencyNow()) != nil {
		status = StatusClientGone
		return
	}
	rt, ok := parseRoute(r.URL.Path)
	if !ok {
		status = s.send(w, errAnswer(http.StatusNotFound, codeNoRoute, msgNoRoute))
		return
	}
	slot.req.AccountID, slot.req.GatewayID, slot.req.LogID = rt.accountID, rt.gatewayID, rt.logID
	if !rt.kind.allows(r.Method) {
		a := errAnswer(http.StatusMethodNotAllowed, codeMethod, msgMethodNotAllowed)
		a.header = http.Header{"Allow": {rt.kind.allow()}}
		status = s.send(w, a)
		return
	}

	mangle := false
	if f, ok := s.faults.take(rt.gatewayID); ok {
		switch f.Kind {
		case FaultRateLimit:
			status = s.send(w, rateLimitAnswer(f))
			return
		case FaultServerError:
			status = s.send(w, serverErrorAnswer(f))
			return
		case FaultDropConnection:
			dropConnection(w)
			return
		case FaultSlow:
			if timex.Sleep(r.Context(), f.Delay) != nil {
				status = StatusClientGone
				return
			}
		case FaultHold:
			if !hold(r.Context(), f) {
				status = StatusClientGone
				return
			}
		case FaultMalformedJSON:
			mangle = true
		}
	}

	a := s.answer(r, rt, body, slot)
	if mangle {
		a = truncate(a)
	}
	status = s.send(w, a)
}

// readRequestBody reads up to maxRequestBody+1 bytes of r's body (a longer
// body is then refused by the endpoint that reads it). A body cut short by
// the client is kept as far as it came.
func readRequestBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	return b
}

func (s *Server) send(w http.ResponseWriter, a answer) int {
	a.write(w)
	return a.status
}

// answer handles a routed request once faults are out of the way.
func (s *Server) answer(r *http.Request, rt route, body []byte, slot *reqSlot) answer {
	perm, a, ok := s.authenticate(r)
	if !ok {
		return s.quirks.refused(a)
	}
	a = s.authenticated(r, rt, body, slot, perm)
	a.header = mergeHeaders(a.header, s.rates.count(credentialOf(r), s.now()))
	return a
}

// authenticated answers a request whose credential is known.
func (s *Server) authenticated(r *http.Request, rt route, body []byte, slot *reqSlot, perm permission) answer {
	if rt.accountID != s.accountID {
		// As reported of the live API: an account it cannot route to.
		return s.quirks.wrongAccount(r.URL.Path)
	}
	if r.Method != http.MethodGet && perm != readWrite {
		// A token without AI Gateway Write: an authentication error.
		return errAnswer(http.StatusForbidden, codeAuthError, msgAuthError)
	}
	switch rt.kind {
	case routeGateways:
		p, problems := parseGatewayListParams(r.URL.Query())
		if len(problems) > 0 {
			return badRequest(problems)
		}
		return s.listGateways(p)
	case routeGateway:
		return s.getGateway(rt.gatewayID)
	case routeLog:
		if r.Method == http.MethodPatch {
			return s.patchLog(rt, body)
		}
		return s.detail(rt)
	case routeLogRequest, routeLogResponse:
		return s.logBody(rt)
	case routeLogs:
		if r.Method == http.MethodDelete {
			return s.deleteLogs(rt.gatewayID, r.URL.Query(), slot)
		}
	}
	p, parsed, problems := parseListParams(s.quirks.listQuery(r.URL.Query()))
	slot.req.Filters = parsed
	if len(problems) == 0 {
		problems = s.quirks.listParams(&p)
	}
	if len(problems) > 0 {
		return badRequest(problems)
	}
	if s.ignoreFilters {
		p.filters, p.preds = nil, nil
	}
	return s.list(rt.gatewayID, p)
}

// permission is what a credential may do: read logs and gateways, or also
// change them (AI Gateway Read; AI Gateway Write).
type permission int

const (
	readOnly permission = iota + 1
	readWrite
)

// authenticate accepts `Authorization: Bearer <token>` (checked first when
// present) or the legacy X-Auth-Email + X-Auth-Key pair (read and write).
// No credential at all is a 400 with code 9106, as reported of the live
// API; one it does not know is a 401 with code 10000.
func (s *Server) authenticate(r *http.Request) (permission, answer, bool) {
	denied := errAnswer(http.StatusUnauthorized, codeAuthError, msgAuthError)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if perm := s.tokens[strings.TrimSpace(token)]; ok && strings.EqualFold(scheme, "Bearer") && perm != 0 {
			return perm, answer{}, true
		}
		return 0, denied, false
	}
	email, key := r.Header.Get("X-Auth-Email"), r.Header.Get("X-Auth-Key")
	if email == "" || key == "" {
		return 0, errAnswer(http.StatusBadRequest, codeMissingAuth, msgMissingAuth), false
	}
	if want, ok := s.authKeys[email]; ok && want == key {
		return readWrite, answer{}, true
	}
	return 0, denied, false
}

// credentialOf is what identifies a request's credential for the rate
// count: the Authorization header, else the key pair.
func credentialOf(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		return h
	}
	return r.Header.Get("X-Auth-Email") + "\x00" + r.Header.Get("X-Auth-Key")
}

func mergeHeaders(a, b http.Header) http.Header {
	if a == nil {
		return b
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}
