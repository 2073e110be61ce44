package cfsim

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// Cloudflare API error codes the simulator answers with (docs/upstream.md).
const (
	codeAuthError       = 10000 // "Authentication error": bad credentials, or a change without the Write permission
	codeMissingAuth     = 9106  // no credentials at all
	codeNoRoute         = 7000  // "No route for that URI"
	codeCouldNotRoute   = 7003  // an account it cannot route to
	codeNotFound        = 7002  // unknown gateway or log id
	codeMethod          = 10405 // method not allowed on an existing route (our choice of code)
	codeRateLimited     = 971   // "Please wait and consider throttling your request speed"
	codeInternalError   = 10001 // injected server errors (our choice of code)
	msgAuthError        = "Authentication error"
	msgMissingAuth      = "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
	msgNoRoute          = "No route for that URI"
	msgCouldNotRoute    = "Could not route to %s, perhaps your object identifier is invalid?"
	msgNotFound         = "Not Found"
	msgRateLimited      = "Please wait and consider throttling your request speed"
	msgMethodNotAllowed = "Method not allowed"
)

// apiError is one item of an error envelope. Code is omitted when zero: the
// spec's 400 for List Gateway Logs carries errors [{message}] only.
type apiError struct {
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

// envelope is Cloudflare's failure shape:
// {success:false, errors:[…], messages:[], result:null}.
type envelope struct {
	Success  bool       `json:"success"`
	Errors   []apiError `json:"errors"`
	Messages []string   `json:"messages"`
	Result   any        `json:"result"`
}

func errorBody(errs ...apiError) []byte {
	b, _ := json.Marshal(envelope{Errors: errs, Messages: []string{}})
	return b
}

// answer is a response not yet written: handlers build one so that an
// injected malformed-JSON fault can still mangle it before it goes out.
type answer struct {
	status int
	body   []byte
	header http.Header // extra headers, may be nil
}

func errAnswer(status, code int, msg string) answer {
	return answer{status: status, body: errorBody(apiError{Code: code, Message: msg})}
}

// badRequest is the spec's 400: one {message} per problem, no code.
func badRequest(problems []string) answer {
	errs := make([]apiError, len(problems))
	for i, p := range problems {
		errs[i] = apiError{Message: p}
	}
	return answer{status: http.StatusBadRequest, body: errorBody(errs...)}
}

// okList is a list answer: the items' pre-marshalled JSON in the success
// envelope, then the paging block unless info is nil. sizeHint is the bytes
// one item takes, about.
func okList[T any](items []T, raw func(T) []byte, sizeHint int, info *resultInfo) answer {
	var b bytes.Buffer
	b.Grow(64 + len(items)*sizeHint)
	b.WriteString(`{"success":true,"errors":[],"messages":[],"result":[`)
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(raw(it))
	}
	b.WriteByte(']')
	if info != nil {
		b.WriteString(`,"result_info":`)
		ri, _ := json.Marshal(info) // plain numbers: cannot fail
		b.Write(ri)
	}
	b.WriteByte('}')
	return answer{status: http.StatusOK, body: b.Bytes()}
}

// write sends a with the headers every Cloudflare API answer carries.
func (a answer) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	for k, vs := range a.header {
		h[k] = vs
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}
