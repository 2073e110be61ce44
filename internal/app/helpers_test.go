package app_test

import (
	"encoding/json"
)

// logLines is a log destination that hands each line written to a test.
type logLines chan string

func (l logLines) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
