package restclient

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestCredentialsForwarded(t *testing.T) {
	tests := []struct {
		name                 string
		creds                Credentials
		auth, email, authKey string
	}{
		{"bearer", Credentials{Token: testToken}, "Bearer " + testToken, "", ""},
		{"email and key", Credentials{Email: "me@example.com", Key: testKey}, "", "me@example.com", testKey},
		{"token wins over key", Credentials{Token: testToken, Email: "me@example.com", Key: testKey}, "Bearer " + testToken, "", ""},
		{"none", Credentials{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, emptyPage) })
			c, _ := newTestClient(t, srv, Options{}, false)
			if _, err := c.ListLogs(context.Background(), tt.creds, testAccount, testGateway, ListLogsParams{}); err != nil {
				t.Fatal(err)
			}
			h := seen.last(t).Header
			_, hasAuth := h["Authorization"]
			_, hasEmail := h["X-Auth-Email"]
			_, hasKey := h["X-Auth-Key"]
			if h.Get("Authorization") != tt.auth || hasAuth != (tt.auth != "") {
				t.Errorf("Authorization = %q", h.Get("Authorization"))
			}
			if h.Get("X-Auth-Email") != tt.email || hasEmail != (tt.email != "") {
				t.Errorf("X-Auth-Email = %q", h.Get("X-Auth-Email"))
			}
			if h.Get("X-Auth-Key") != tt.authKey || hasKey != (tt.authKey != "") {
				t.Errorf("X-Auth-Key = %q", h.Get("X-Auth-Key"))
			}
		})
	}
}

func TestCredentialsInvalid(t *testing.T) {
	for _, c := range []Credentials{
		{Email: "me@example.com"},
		{Key: testKey},
		{Token: "abc\r\nX-Evil: 1"},
		{Token: "has space"},
		{Email: "me@example.com", Key: "k\x00"},
		{Email: "é@example.com", Key: testKey},
	} {
		if err := c.validate(); !IsInvalidInput(err) {
			t.Errorf("%v: got %v", c, err)
		} else if strings.Contains(err.Error(), "abc") || strings.Contains(err.Error(), testKey) {
			t.Errorf("error reveals a secret: %v", err)
		}
	}
}

func TestCredentialsNeverPrinted(t *testing.T) {
	for _, c := range []Credentials{{Token: testToken}, {Email: "me@example.com", Key: testKey}, {Key: testKey}} {
		var logged bytes.Buffer
		slog.New(slog.NewTextHandler(&logged, nil)).Info("call", "creds", c)
		for _, s := range []string{c.String(), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logged.String(), fmt.Sprintf("%v", &c)} {
			if strings.Contains(s, testToken) || strings.Contains(s, testKey) || strings.Contains(s, "me@example.com") {
				t.Errorf("secret printed: %s", s)
			}
		}
	}
	if got := (Credentials{Token: testToken}).String(); got != "bearer(redacted)" {
		t.Errorf("String() = %q", got)
	}
	if got := (Credentials{}).String(); got != "none" {
		t.Errorf("zero String() = %q", got)
	}
	if !(Credentials{}).IsZero() || (Credentials{Key: "k"}).IsZero() {
		t.Error("IsZero")
	}
}

func TestFingerprint(t *testing.T) {
	a := Credentials{Token: testToken}
	fp := a.Fingerprint()
	if len(fp) != 64 || strings.Trim(fp, "0123456789abcdef") != "" {
		t.Fatalf("not 64 hex digits: %q", fp)
	}
	if fp != a.Fingerprint() || fp != (Credentials{Token: testToken, Email: "x@y.z", Key: "k"}).Fingerprint() {
		t.Error("fingerprint not stable, or depends on fields that are not sent")
	}
	distinct := map[string]Credentials{}
	for _, c := range []Credentials{
		{}, a, {Token: testToken + "x"}, {Email: "a", Key: "bc"}, {Email: "ab", Key: "c"},
		{Email: "a@b", Key: testToken}, {Email: "", Key: testToken},
	} {
		f := c.Fingerprint()
		if prev, dup := distinct[f]; dup {
			t.Errorf("%#v and %#v share a fingerprint", prev, c)
		}
		distinct[f] = c
		if strings.Contains(f, testToken) {
			t.Error("fingerprint contains the secret")
		}
	}
}

// TestFingerprintIsUnchanged: a fingerprint is documented as stable, so a
// caller may store it; the values are what earlier versions returned.
func TestFingerprintIsUnchanged(t *testing.T) {
	for c, want := range map[Credentials]string{
		{Token: "tok"}:             "6fb214ea3619a1a0227fe67bb8116d1f0b7865bbf703d1f124bd054a77c7dc48",
		{Email: "a@b.c", Key: "k"}: "0ff942f65357dfcbc180803778ebfc48b5e1f7cdb073a372e5efe9d16ab7e2d9",
		{}:                         "5cb346fd9d941db9578f6dbf589fae7f9f170e4af805931a0eb8d68a90d9c3e0",
	} {
		if got := c.Fingerprint(); got != want {
			t.Errorf("%v: fingerprint %s, was %s", c, got, want)
		}
	}
}
