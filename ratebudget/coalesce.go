package ratebudget

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing/iotest"

	"golang.org/x/sync/singleflight"
)

// maxSharedBody bounds what is buffered to share one answer among callers
// (restclient itself refuses more than 32 MiB).
const maxSharedBody = 64 << 20

// errBodyTooLarge is what reading a shared answer past maxSharedBody gives.
var errBodyTooLarge = errors.New("ratebudget: response body too large to share")

// snapshot is a fully read response, so that every caller can get its own
// copy: an *http.Response body can be read only once. Exported fields: it
// is also what the Redis cache stores (as JSON).
type snapshot struct {
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
	// truncated: Body is only the first maxSharedBody+1 bytes of a longer
	// answer. Such a snapshot is never cached.
	truncated bool
}

// readSnapshot reads and closes resp's body. A body over maxSharedBody is
// not an error here but a truncated snapshot, whose readers get its first
// bytes and then errBodyTooLarge: the client above then sees an answer too
// large for it (and knows not to ask again), where a transport error would
// read as an unreachable upstream and be retried.
//
// The body is read into a buffer sized at once: by Content-Length when the
// upstream sends one, else by sizes, the size of the answers read before
// (answers to the same calls are alike). io.ReadAll would grow from 512
// bytes by copying: some 50 KB of garbage for a page of 50 logs, on every
// upstream call.
func readSnapshot(resp *http.Response, sizes *bodySizes) (*snapshot, error) {
	defer resp.Body.Close()
	var buf bytes.Buffer
	n := resp.ContentLength
	if n < 0 || n > maxSharedBody {
		n = sizes.guess()
	}
	if n > 0 {
		buf.Grow(int(n) + bytes.MinRead) // MinRead: room for the read that sees EOF
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, maxSharedBody+1))
	body := buf.Bytes()
	if body == nil {
		body = []byte{} // as io.ReadAll: an empty body is not a missing one (the Redis cache stores it as JSON)
	}
	if err != nil {
		return nil, err
	}
	sizes.note(len(body))
	if slack := cap(body) - len(body); slack > len(body) && slack > 4<<10 {
		body = bytes.Clone(body) // a guess far too large: keep (and cache) only what was read
	}
	return &snapshot{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body, truncated: len(body) > maxSharedBody}, nil
}

// bodySizes remembers the size of the last answer read, as the guess for
// the next one of unknown length; guesses stay under maxGuessedBody, so
// that one huge answer does not make every later read allocate as much.
type bodySizes struct{ last atomic.Int64 }

const maxGuessedBody = 1 << 20

func (s *bodySizes) guess() int64 { return s.last.Load() }

func (s *bodySizes) note(n int) { s.last.Store(int64(min(n, maxGuessedBody))) }

// response gives a caller its own response: fresh header map, fresh reader.
func (s *snapshot) response(req *http.Request, extra ...string) *http.Response {
	h := s.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	var body io.Reader = bytes.NewReader(s.Body)
	length := int64(len(s.Body))
	if s.truncated {
		body, length = io.MultiReader(body, iotest.ErrReader(errBodyTooLarge)), -1
		h.Del("Content-Length")
	} else {
		h.Set("Content-Length", strconv.Itoa(len(s.Body)))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", s.Status, http.StatusText(s.Status)),
		StatusCode:    s.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(body),
		ContentLength: length,
		Request:       req,
	}
}

// size approximates the memory a snapshot holds, for the cache's byte bound.
func (s *snapshot) size() int {
	n := len(s.Body) + 64
	for k, vs := range s.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	return n
}

// coalescer makes concurrent identical requests share one upstream call.
//
// singleflight alone would run the shared call under the first caller's
// context, so that caller giving up would fail everyone who joined. Instead
// the call runs under a flight context that keeps the first caller's values
// and deadline but is cancelled only when every caller waiting on it has
// left.
type coalescer struct {
	group   singleflight.Group
	mu      sync.Mutex
	flights map[string]*flight
}

type flight struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	waiters int
}

// do returns fn's snapshot for key, running fn at most once among the
// concurrent callers of key. shared reports that another caller's call
// answered this one.
func (c *coalescer) do(ctx context.Context, key string, fn func(context.Context) (*snapshot, error)) (snap *snapshot, shared bool, err error) {
	for try := 0; ; try++ {
		f, first := c.join(ctx, key)
		var res singleflight.Result
		led := false
		call := func() (any, error) {
			led = true
			defer c.finish(key, f)
			return fn(f.ctx)
		}
		if first {
			var left bool
			if res, left = c.lead(ctx, key, f, call); left {
				return nil, false, ctx.Err()
			}
		} else {
			select {
			case res = <-c.group.DoChan(key, call):
				c.leave(key, f, nil)
			case <-ctx.Done():
				c.leave(key, f, ctx.Err())
				return nil, false, ctx.Err()
			}
		}
		// Rare race: this caller joined a call that the callers before it
		// had all abandoned (and so cancelled). That error is not this
		// caller's: try once more with a call of its own.
		if res.Err != nil && !led && try == 0 && errors.Is(res.Err, context.Canceled) && ctx.Err() == nil {
			continue
		}
		if res.Err != nil {
			return nil, false, res.Err
		}
		return res.Val.(*snapshot), !led, nil
	}
}

// lead runs the call of a flight this caller opened in its own goroutine:
// with DoChan every upstream call started a goroutine and handed its
// answer back across goroutines, measured at 16 µs of CPU a call (most of
// it waking an idle processor) and a hand-off on the latency path.
// Callers that join while it runs wait with DoChan as before, and leave
// when their context ends. The leader's own context ending leaves the
// flight at once (the last one out cancels the call, as for any caller);
// only if others still wait does the leader's goroutine stay with the
// call until it ends, which the flight's deadline (the leader's own)
// bounds. left reports that ctx ended, whatever the call's result.
func (c *coalescer) lead(ctx context.Context, key string, f *flight, call func() (any, error)) (res singleflight.Result, left bool) {
	stop := context.AfterFunc(ctx, func() { c.leave(key, f, ctx.Err()) })
	res.Val, res.Err, res.Shared = c.group.Do(key, call)
	if !stop() { // ctx ended: the AfterFunc has left for this caller
		return res, true
	}
	c.leave(key, f, nil)
	return res, false
}

func (c *coalescer) join(parent context.Context, key string) (f *flight, first bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flights == nil {
		c.flights = map[string]*flight{}
	}
	f = c.flights[key]
	if f == nil {
		first = true
		f = &flight{}
		var cancel context.CancelCauseFunc
		f.ctx, cancel = context.WithCancelCause(context.WithoutCancel(parent))
		f.cancel = cancel
		if dl, ok := parent.Deadline(); ok {
			var cancelDeadline context.CancelFunc
			f.ctx, cancelDeadline = context.WithDeadline(f.ctx, dl)
			f.cancel = func(cause error) { cancel(cause); cancelDeadline() }
		}
		c.flights[key] = f
	}
	f.waiters++
	return f, first
}

// leave drops one waiter; the last one out cancels the call, with its own
// reason as the cause (context.Cause): a caller whose deadline passed
// leaves an upstream that was too slow, one cancelled by its client does
// not, and the metrics below tell the two apart.
func (c *coalescer) leave(key string, f *flight, why error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.waiters--; f.waiters == 0 {
		f.cancel(why)
		if c.flights[key] == f {
			delete(c.flights, key)
		}
	}
}

// finish unlists a flight whose call has ended, so that a later caller
// starts a fresh call instead of registering on a finished one.
func (c *coalescer) finish(key string, f *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
}
