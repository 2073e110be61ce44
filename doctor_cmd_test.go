package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
	"github.com/aigw/gqlfacade/internal/doctor"
)

// runMainOutput is runMain that also returns what the command printed on
// its standard output, where the doctor writes its report.
func runMainOutput(t *testing.T, env []string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), mainChild+"=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return status, out.String(), errOut.String()
}

const doctorToken = "tok-doctor-cmd-5b1e77c0a9"

// doctorEnv starts a simulator on loopback and returns the environment
// that points the command at it.
func doctorEnv(t *testing.T, opts cfsim.Options) []string {
	t.Helper()
	opts.Tokens = []string{doctorToken}
	opts.LogsPerGateway = 300
	sim := cfsim.New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return []string{
		"CLOUDFLARE_API_BASE_URL=" + ts.URL + "/client/v4",
		"CLOUDFLARE_ACCOUNT_ID=" + sim.AccountID(),
		"CLOUDFLARE_API_TOKEN=" + doctorToken,
	}
}

// TestDoctorCommand: `gqlfacade doctor` against the simulator prints one
// "holds" line per assumption and exits 0; the token it was given appears
// nowhere in what it prints.
func TestDoctorCommand(t *testing.T) {
	env := doctorEnv(t, cfsim.Options{})
	status, stdout, stderr := runMainOutput(t, env, "doctor", "-gateway", "prod-chat")
	t.Logf("\n%s", stdout)
	if status != 0 {
		t.Fatalf("exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
	if n := strings.Count(stdout, "\nholds   "); n != 11 {
		t.Errorf("%d lines say holds, want 11:\n%s", n, stdout)
	}
	for _, want := range []string{"gateway prod-chat", "eq with several values means any of them", "per_page 50 is the maximum", "all 11 assumptions hold"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout does not say %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, doctorToken) {
		t.Error("the output shows the token")
	}
}

// TestDoctorCommandBroken: against an upstream that clamps per_page, the
// command says which assumption is broken and exits 1.
func TestDoctorCommandBroken(t *testing.T) {
	env := doctorEnv(t, cfsim.Options{Quirks: cfsim.Quirks{ClampPerPage: true}})
	status, stdout, stderr := runMainOutput(t, env, "doctor", "-gateway", "prod-chat")
	if status != 1 {
		t.Fatalf("exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
	if !strings.Contains(stdout, "broken  per_page 50 is the maximum, never clamped (51 answered 200 with 50 logs") {
		t.Errorf("no broken per_page line:\n%s", stdout)
	}
	if strings.Contains(stdout+stderr, doctorToken) {
		t.Error("the output shows the token")
	}
}

// TestDoctorCommandSettings: a setting the doctor needs is missing or
// wrong: status 2, a line naming it, no call made; -h shows the usage
// without the token from the environment.
func TestDoctorCommandSettings(t *testing.T) {
	cases := []struct {
		env   []string
		args  []string
		wants []string
	}{
		{[]string{"CLOUDFLARE_API_TOKEN="}, nil, []string{"cloudflare-api-token", "CLOUDFLARE_API_TOKEN", "not set"}},
		{[]string{"CLOUDFLARE_ACCOUNT_ID="}, nil, []string{"cloudflare-account-id", "CLOUDFLARE_ACCOUNT_ID", "not set"}},
		{nil, []string{"-gateway", "../up"}, []string{"gateway", `"../up"`}},
		{[]string{"CLOUDFLARE_API_BASE_URL=ftp://x"}, nil, []string{"CLOUDFLARE_API_BASE_URL", `"ftp://x"`, "http or https"}},
		{nil, []string{"-demo"}, []string{"-gateway", "usage: gqlfacade doctor"}},
		{nil, []string{"-h"}, []string{"-gateway", "-cloudflare-api-token", fmt.Sprintf("at most %d read-only calls", doctor.MaxCalls)}},
	}
	for _, tc := range cases {
		env := append(doctorEnv(t, cfsim.Options{}), tc.env...)
		status, stdout, stderr := runMainOutput(t, env, append([]string{"doctor"}, tc.args...)...)
		if status != 2 {
			t.Errorf("%v %v: exit status %d, want 2\n%s%s", tc.env, tc.args, status, stdout, stderr)
			continue
		}
		for _, want := range tc.wants {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v %v: stderr %q does not say %q", tc.env, tc.args, stderr, want)
			}
		}
		if strings.Contains(stdout+stderr, doctorToken) {
			t.Errorf("%v %v: the output shows the token", tc.env, tc.args)
		}
	}
}
