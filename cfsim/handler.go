package cfsim

import (
	"net/http"
	"strings"
)

// basePath is the prefix of Cloudflare's API base URL. The handler serves
// both with and without it, so it can be mounted at a server's root and
// clients may be configured with either base URL.
const basePath = "/client/v4"

// route is a parsed logs URL.
type route struct {
	accountID, gatewayID, logID string // logID empty for the list
}

// parseRoute matches /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs[/{id}].
func parseRoute(path string) (route, bool) {
	if strings.HasPrefix(path, basePath+"/") {
		path = path[len(basePath):]
	}
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < 6 || len(seg) > 7 || seg[0] != "accounts" || seg[2] != "ai-gateway" ||
		seg[3] != "gateways" || seg[5] != "logs" || seg[1] == "" || seg[4] == "" {
		return route{}, false
	}
	rt := route{accountID: seg[1], gatewayID: seg[4]}
	if len(seg) == 7 {
		if seg[6] == "" {
			return route{}, false
		}
		rt.logID = seg[6]
	}
	return rt, true
}

// ServeHTTP answers in the upstream's order of checks: route, method,
// (injected fault), credentials, account, query validation, gateway, data.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.flight.enter()
	defer s.flight.leave()
	slot := s.reqs.begin(r, s.now())
	status := StatusDropped
	// Deferred so that a dropped connection (which may panic with
	// http.ErrAbortHandler) is still recorded.
	defer func() { s.reqs.finish(slot, status) }()

	if !sleepCtx(r.Context(), s.latencyNow()) {
		status = StatusClientGone
		return
	}
	rt, ok := parseRoute(r.URL.Path)
	if !ok {
		status = s.send(w, errAnswer(http.StatusNotFound, codeNoRoute, msgNoRoute))
		return
	}
	slot.req.AccountID, slot.req.GatewayID, slot.req.LogID = rt.accountID, rt.gatewayID, rt.logID
	if r.Method != http.MethodGet {
		a := errAnswer(http.StatusMethodNotAllowed, codeMethod, msgMethodNotAllowed)
		a.header = http.Header{"Allow": {http.MethodGet}}
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
			if !sleepCtx(r.Context(), f.Delay) {
				status = StatusClientGone
				return
			}
		case FaultMalformedJSON:
			mangle = true
		}
	}

	a := s.answer(r, rt, slot)
	if mangle {
		a = truncate(a)
	}
	status = s.send(w, a)
}

func (s *Server) send(w http.ResponseWriter, a answer) int {
	a.write(w)
	return a.status
}

// answer handles a routed GET once faults are out of the way.
func (s *Server) answer(r *http.Request, rt route, slot *reqSlot) answer {
	if a, ok := s.authenticate(r); !ok {
		return a
	}
	if rt.accountID != s.accountID {
		// Cloudflare does not reveal whether an account exists: an account
		// the credentials cannot see is an authentication error.
		return errAnswer(http.StatusForbidden, codeAuthError, msgAuthError)
	}
	if rt.logID != "" {
		return s.detail(rt)
	}
	p, parsed, problems := parseListParams(r.URL.Query())
	slot.req.Filters = parsed
	if len(problems) > 0 {
		return badRequest(problems)
	}
	return s.list(rt.gatewayID, p)
}

// authenticate accepts `Authorization: Bearer <token>` (checked first when
// present) or the legacy X-Auth-Email + X-Auth-Key pair.
func (s *Server) authenticate(r *http.Request) (answer, bool) {
	denied := errAnswer(http.StatusUnauthorized, codeAuthError, msgAuthError)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") && s.tokens[strings.TrimSpace(token)] {
			return answer{}, true
		}
		return denied, false
	}
	email, key := r.Header.Get("X-Auth-Email"), r.Header.Get("X-Auth-Key")
	if email == "" || key == "" {
		return errAnswer(http.StatusUnauthorized, codeMissingAuth, msgMissingAuth), false
	}
	if want, ok := s.authKeys[email]; ok && want == key {
		return answer{}, true
	}
	return denied, false
}
