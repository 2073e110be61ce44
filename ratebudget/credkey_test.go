package ratebudget

import (
	"net/http"
	"strings"
	"testing"
)

func TestCredentialKey(t *testing.T) {
	t.Parallel()
	key := func(kv ...string) credKey {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		k, _ := credentialKey(h)
		return k
	}
	a := key("Authorization", "Bearer secret-token")
	if a != key("Authorization", "Bearer secret-token") {
		t.Error("not stable")
	}
	if a == key("Authorization", "Bearer other-token") {
		t.Error("two tokens share a key")
	}
	if strings.Contains(string(a), "secret") || len(a) != 64 {
		t.Errorf("key %q is not a bare SHA-256", a)
	}
	pair := key("X-Auth-Email", "a@b.c", "X-Auth-Key", "k")
	if pair == "" || pair == key("X-Auth-Email", "a@b.c", "X-Auth-Key", "k2") {
		t.Error("email/key pairs not told apart")
	}
	if key("Authorization", "Bearer secret-token", "X-Auth-Email", "a@b.c", "X-Auth-Key", "k") != a {
		t.Error("Authorization must win, as upstream")
	}
	if _, ok := credentialKey(http.Header{"X-Auth-Email": {"a@b.c"}}); ok {
		t.Error("an incomplete pair counted as a credential")
	}
	if _, ok := credentialKey(http.Header{}); ok {
		t.Error("no credential counted as one")
	}
}

// TestCredentialKeyIsUnchanged: keys name Redis state that replicas of
// different versions share during a rolling update, so the hash of a given
// credential must never change. The values are what earlier versions wrote.
func TestCredentialKeyIsUnchanged(t *testing.T) {
	t.Parallel()
	bearer, _ := credentialKey(http.Header{"Authorization": {"Bearer secret-token"}})
	pair, _ := credentialKey(http.Header{"X-Auth-Email": {"a@b.c"}, "X-Auth-Key": {"k"}})
	if bearer != "2f18768815509e319dc10fe45449150653ea580cfaf3f3b01a8edad1ed3a9b2b" ||
		pair != "1b62426aa25687534f0202e8371dd777a8d7fbcd6711b1aad66b3bcd04142249" {
		t.Errorf("credential keys changed: %s %s", bearer, pair)
	}
}
