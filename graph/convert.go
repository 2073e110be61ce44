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

// pointers returns pointers to the elements of s, as gqlgen's lists of
// objects want them; nil stays nil (a null list).
func pointers[T any](s []T) []*T {
	if s == nil {
		return nil
	}
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
