package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// redisLogger carries go-redis's own log lines (a pool that cannot dial, a
// connection dropped with unread data…) into the service's structured log,
// at warn level: go-redis otherwise prints plain text on stderr, between the
// JSON lines that log collectors parse. It implements go-redis's
// internal.Logging, which redis.SetLogger takes.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, strings.TrimSpace(fmt.Sprintf(format, v...)), "component", "go-redis")
}
