package observe

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"go.opentelemetry.io/otel/trace"
)

// RequestLog writes one JSON-friendly slog line per GraphQL operation:
//
//	operation, operation_type, duration_ms, upstream_calls, errors,
//	error_codes, status (when known), trace_id (when traced)
//
// at Info, or Warn when the operation answered errors. What it is given
// (an Operation) holds no query text, variables, error messages or
// headers, so no credential can reach the log.
//
// The HTTP status is known when the handler is wrapped in CaptureStatus;
// the line is then written once the response has been, otherwise at once
// (without status).
type RequestLog struct{ log *slog.Logger }

// NewRequestLog writes to logger (nil: slog's default).
func NewRequestLog(logger *slog.Logger) *RequestLog {
	if logger == nil {
		logger = slog.Default()
	}
	return &RequestLog{logger}
}

// Record writes op's line, now or once its request's status is known.
func (l *RequestLog) Record(ctx context.Context, op Operation) {
	attrs := []slog.Attr{
		slog.String("operation", op.name()),
		slog.Float64("duration_ms", float64(op.duration().Microseconds())/1000),
		slog.Int("upstream_calls", op.UpstreamCalls),
		slog.Int("errors", op.Errors),
		slog.Any("error_codes", op.codes()),
	}
	if op.Kind != "" {
		attrs = append(attrs, slog.String("operation_type", op.Kind))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
	}
	level := slog.LevelInfo
	if op.Errors > 0 {
		level = slog.LevelWarn
	}
	emit := func(status int) {
		if op.ClientGone {
			// Whatever was written went to a closed connection: the status
			// says the client left, as nginx's 499 does.
			status = statusClientClosedRequest
		}
		if status != 0 {
			attrs = append(attrs, slog.Int("status", status))
		}
		// A context without cancellation: the line must not depend on
		// whether the client is still there.
		l.log.LogAttrs(context.WithoutCancel(ctx), level, "graphql operation", attrs...)
	}
	if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		ex.later(emit)
	} else {
		emit(0)
	}
}

// statusClientClosedRequest is nginx's status for a client that closed the
// connection before the answer; HTTP itself has none.
const statusClientClosedRequest = 499

type exchangeKey struct{}

// exchange collects the log lines of one HTTP request until its status is
// known.
type exchange struct {
	mu      sync.Mutex
	pending []func(status int)
}

func (e *exchange) later(f func(int)) {
	e.mu.Lock()
	e.pending = append(e.pending, f)
	e.mu.Unlock()
}

func (e *exchange) flush(status int) {
	e.mu.Lock()
	pending := e.pending
	e.pending = nil
	e.mu.Unlock()
	for _, f := range pending {
		f(status)
	}
}

// CaptureStatus lets RequestLog report each operation's HTTP status: wrap
// the GraphQL endpoint in it (outside any middleware that may answer on its
// own, so their statuses are seen too).
func CaptureStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := &exchange{}
		sw := &statusWriter{ResponseWriter: w}
		defer func() { ex.flush(sw.statusOr(http.StatusOK)) }()
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)))
	})
}

// statusWriter remembers the first final status written. Unwrap lets
// http.ResponseController reach the underlying writer's Flush and friends.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) statusOr(def int) int {
	if w.status == 0 {
		return def
	}
	return w.status
}
