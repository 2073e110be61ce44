package paging

import "testing"

// TestQueryHashIsUnchanged: cursors carry the hash, and with a shared
// CURSOR_SECRET they outlive a deployment, so a query must keep its hash
// from one version to the next. The values are what earlier versions made.
func TestQueryHashIsUnchanged(t *testing.T) {
	if got := HashQuery("acc", "gw", "[]", "created_at", "desc", "").String(); got != "1259d4350c7b4e12" {
		t.Errorf("query hash %s, was 1259d4350c7b4e12", got)
	}
	if got := HashQuery().String(); got != "e3b0c44298fc1c14" {
		t.Errorf("empty query hash %s, was e3b0c44298fc1c14", got)
	}
}
