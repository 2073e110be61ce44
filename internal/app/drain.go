package app

import (
	"io"
	"net/http"
	"time"
)

// What is read, at most, of a body the service left unread (one over
// -max-body-bytes, refused with 413): more than a browser or a script sends
// in one request that went wrong, little enough that reading it costs a
// connection a second at most. They bound a courtesy to the client, not a
// resource the operator sizes.
const (
	drainMaxBytes = 4 << 20
	drainMaxTime  = time.Second
)

// drainUnreadBody reads and discards, once the request is answered, what
// the handler left unread of its body, within drainMaxBytes and
// drainMaxTime. Closing a connection with unread data makes the kernel
// reset it, and a client that writes its whole body before it reads the
// answer (a browser's fetch, Python's urllib) then gets the reset instead of
// the 413 already sent. Outside the in-flight bound, it holds no slot. A
// body whose read already failed (the read timeout passed, the client hung
// up) is not read again, and HTTP/2 needs none of this: refusing a stream
// does not reset the connection.
func drainUnreadBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ProtoMajor != 1 {
			next.ServeHTTP(w, r)
			return
		}
		body := &watchedBody{ReadCloser: r.Body}
		r.Body = body
		next.ServeHTTP(w, r)
		if body.ended {
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.Flush() // the answer goes out first, for a client that reads as it writes
		_ = rc.SetReadDeadline(time.Now().Add(drainMaxTime))
		_, _ = io.CopyN(io.Discard, body.ReadCloser, drainMaxBytes)
	})
}

// watchedBody tells whether a read of the body has ended, at its end or in
// an error.
type watchedBody struct {
	io.ReadCloser
	ended bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.ended = true
	}
	return n, err
}
