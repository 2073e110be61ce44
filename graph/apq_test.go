package graph_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAutomaticPersistedQueries follows Apollo's APQ protocol: a hash
// alone is unknown at first, the query with its hash registers it, and the
// hash alone then runs it — over POST and over GET.
func TestAutomaticPersistedQueries(t *testing.T) {
	e := newEnv(t)
	query := `query Recent { logs(gatewayId: "prod-chat", first: 2) { nodes { logId } } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	post := func(body map[string]any) map[string]any {
		b, _ := json.Marshal(body)
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		var out map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		return out
	}
	first := post(map[string]any{"extensions": ext})
	if errs, _ := first["errors"].([]any); len(errs) == 0 || !strings.Contains(errs[0].(map[string]any)["message"].(string), "PersistedQueryNotFound") {
		t.Fatalf("unknown hash answered %v", first)
	}
	if out := post(map[string]any{"query": query, "extensions": ext}); out["data"] == nil {
		t.Fatalf("registering answered %v", out)
	}
	if out := post(map[string]any{"extensions": ext}); out["data"] == nil || out["errors"] != nil {
		t.Fatalf("the hash alone answered %v", out)
	}
	extJSON, _ := json.Marshal(ext)
	req := httptest.NewRequest(http.MethodGet, "/query?extensions="+url.QueryEscape(string(extJSON)), nil)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"logId"`) {
		t.Fatalf("GET with the hash answered %s", rec.Body.String())
	}
	wrong := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}
	if out := post(map[string]any{"query": query, "extensions": wrong}); out["data"] != nil {
		t.Fatal("a query whose hash does not match was accepted")
	}
}
