package graph

import (
	"encoding/json"
	"time"
)

// timeOrNil maps the upstream's absent time (the zero value) to null.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// rawJSON passes the upstream's JSON through untouched; absent is null.
func rawJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
