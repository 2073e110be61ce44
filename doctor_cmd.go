package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/aigw/gqlfacade/internal/app"
	"github.com/aigw/gqlfacade/internal/doctor"
	"github.com/aigw/gqlfacade/restclient"
)

// doctorMain runs `gqlfacade doctor` and returns its exit status: 0 when
// every assumption holds, 1 when one is broken or could not be checked, 2
// for a usage or configuration error.
func doctorMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runDoctor(ctx, args, os.Stdout, os.Stderr)
}

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c app.Config
	var gateway string
	s := &settings{fs: flag.NewFlagSet("gqlfacade doctor", flag.ContinueOnError)}
	s.fs.SetOutput(stderr)
	s.upstream(&c)
	s.fs.StringVar(&gateway, "gateway", "", "gateway whose logs are read (one with traffic: the checks read its newest 50 logs); default: the account's first")
	s.fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gqlfacade doctor [-gateway id] [flags]\n\nChecks, with at most", doctor.MaxCalls, "read-only calls, that the Cloudflare API behaves as the service assumes.")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		if !errors.Is(err, errFlagsPrinted) {
			fmt.Fprintln(stderr, "gqlfacade doctor:", err)
		}
		return 2
	}
	if err := checkDoctorSettings(c, gateway, s.fs.Args()); err != nil {
		fmt.Fprintln(stderr, "gqlfacade doctor:", err)
		return 2
	}
	rep, err := doctor.Run(ctx, doctor.Config{BaseURL: c.APIBaseURL, AccountID: c.AccountID, Token: c.APIToken, GatewayID: gateway}, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "gqlfacade doctor:", err)
		return 1
	}
	return rep.ExitCode()
}

// checkDoctorSettings names the setting that stops the doctor before it
// calls anything.
func checkDoctorSettings(c app.Config, gateway string, extra []string) error {
	switch {
	case len(extra) > 0:
		return fmt.Errorf("unexpected argument %q: flags only", extra[0])
	case c.AccountID == "":
		return errors.New("cloudflare-account-id (CLOUDFLARE_ACCOUNT_ID) is not set: the doctor reads one gateway of that account")
	case c.APIToken == "":
		return errors.New("cloudflare-api-token (CLOUDFLARE_API_TOKEN) is not set: the doctor calls the API with the token the service uses")
	}
	if _, err := restclient.New(restclient.Options{BaseURL: c.APIBaseURL}); err != nil {
		return fmt.Errorf("cloudflare-api-base-url (CLOUDFLARE_API_BASE_URL) is %q: %w", c.APIBaseURL, err)
	}
	if err := restclient.ValidateAccountID(c.AccountID); err != nil {
		return fmt.Errorf("cloudflare-account-id (CLOUDFLARE_ACCOUNT_ID) is %q: %w", c.AccountID, err)
	}
	if gateway != "" {
		if err := restclient.ValidateGatewayID(gateway); err != nil {
			return fmt.Errorf("gateway is %q: %w", gateway, err)
		}
	}
	return nil
}
