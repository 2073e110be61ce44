package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// mainChild makes a test run main() itself in a child process, with the
// arguments after "--", so that the exit status and what main prints are
// those a user sees.
const mainChild = "GQLFACADE_TEST_MAIN_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(mainChild) != "" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"gqlfacade"}, os.Args[i+1:]...)
				main()
				os.Exit(0)
			}
		}
	}
	os.Exit(m.Run())
}

// runMain runs the command with args (and extra environment) and returns
// its exit status and standard error.
func runMain(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), mainChild+"=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// TestConfigErrorsAreExplained: a setting the service cannot use stops it
// with status 2 and a line naming the setting, the value given and what is
// allowed — whether it came as a flag or as an environment variable.
func TestConfigErrorsAreExplained(t *testing.T) {
	cases := []struct {
		env   []string
		args  []string
		wants []string
	}{
		{nil, []string{"-max-page-size", "0"}, []string{"max-page-size", "MAX_PAGE_SIZE", "is 0", "at least 1"}},
		{nil, []string{"-port", "99999"}, []string{"port", "PORT", "99999", "between 0 and 65535"}},
		{nil, []string{"-host", "every.example"}, []string{"host", "HOST", "every.example", "an IP address"}},
		{[]string{"MAX_WALK_GATEWAYS=500"}, nil, []string{"max-walk-gateways", "MAX_WALK_GATEWAYS", "is 500", "at most 99"}},
		{[]string{"MAX_DEPTH=deep"}, nil, []string{"MAX_DEPTH", `"deep"`, "not an integer"}},
		{[]string{"REQUEST_TIMEOUT=30"}, nil, []string{"REQUEST_TIMEOUT", `"30"`, "not a duration"}},
		{nil, []string{"-write-timeout", "5s"}, []string{"write-timeout", "5s", "longer than"}},
		{[]string{"SUBSCRIPTION_QUEUE=10"}, nil, []string{"subscription-queue", "SUBSCRIPTION_QUEUE", "is 10", "at least 50"}},
		{nil, []string{"-tail-min-interval", "5s", "-tail-max-interval", "1s"}, []string{"tail-max-interval", "1s", "at least tail-min-interval (5s)"}},
		{nil, []string{"-max-subscriptions-per-credential", "0"}, []string{"max-subscriptions-per-credential", "MAX_SUBSCRIPTIONS_PER_CREDENTIAL", "is 0", "at least 1"}},
		{[]string{"STREAM_KEEPALIVE=10ms"}, nil, []string{"stream-keepalive", "STREAM_KEEPALIVE", "10ms", "at least 1s"}},
	}
	for _, tc := range cases {
		status, stderr := runMain(t, tc.env, tc.args...)
		if status != 2 {
			t.Errorf("%v %v: exit status %d, want 2 (stderr %q)", tc.env, tc.args, status, stderr)
			continue
		}
		for _, want := range tc.wants {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v %v: stderr %q does not say %q", tc.env, tc.args, stderr, want)
			}
		}
	}
}

// TestSecretsAreNeverPrinted: the usage text, printed for -h and for any
// flag error, shows defaults; secrets given in the environment are not
// among them.
func TestSecretsAreNeverPrinted(t *testing.T) {
	secrets := []string{"CLOUDFLARE_API_TOKEN=tok-3a9f0c2d7e", "REDIS_URL=redis://:hunter2-pw@redis:6379/0", "CURSOR_SECRET=cursor-secret-0123456789abcdef0123456789"}
	for _, args := range [][]string{{"-h"}, {"-no-such-flag"}} {
		_, stderr := runMain(t, secrets, args...)
		if !strings.Contains(stderr, "-cloudflare-api-token") {
			t.Fatalf("%v: no usage text: %q", args, stderr)
		}
		for _, s := range []string{"tok-3a9f0c2d7e", "hunter2-pw", "cursor-secret-0123"} {
			if strings.Contains(stderr, s) {
				t.Fatalf("%v: the usage text shows a secret from the environment", args)
			}
		}
	}
}
