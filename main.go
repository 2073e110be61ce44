// Command gqlfacade serves a GraphQL API over Cloudflare AI Gateway's logs.
//
//	go run . -demo        # on the built-in simulated upstream, GraphiQL at http://localhost:8080/
//	go run . doctor -gateway <id>   # checks the live API's assumptions first
//
// The service itself is assembled by internal/app; the command reads the
// configuration, listens, and shuts down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/aigw/gqlfacade/internal/app"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "doctor" {
		os.Exit(doctorMain(os.Args[2:]))
	}
	app.TuneRuntime()
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		if !errors.Is(err, errFlagsPrinted) {
			fmt.Fprintln(os.Stderr, "gqlfacade:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(ctx, cfg, logger, nil); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully: in-flight
// requests get cfg.ShutdownGrace to finish. ready, if not nil, receives the
// listening address.
func run(ctx context.Context, cfg app.Config, logger *slog.Logger, ready chan<- string) error {
	service, err := app.New(ctx, cfg, app.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer service.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		return err
	}
	srv := service.Server()
	// Logged once Shutdown has closed the listener: from here on, only the
	// requests in flight are served (a test waits for this line too).
	srv.RegisterOnShutdown(func() { logger.Info("shutting down", "grace", cfg.ShutdownGrace.String()) })
	logger.Info("listening", "addr", ln.Addr().String(), "demo", cfg.Demo, "graphiql", fmt.Sprintf("http://localhost:%d/", ln.Addr().(*net.TCPAddr).Port))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
