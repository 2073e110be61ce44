package observe

import (
	"sync"
)

// Label values that are not operation names.
const (
	anonymous = "anonymous" // no operation name, or none in the document
	otherName = "other"     // past the cap on distinct names
)

const (
	// maxOperationNames caps the distinct operation label values: callers
	// choose operation names, and every new one would be a new time series.
	maxOperationNames = 100
	// maxNameLen truncates names in labels, span names and logs.
	maxNameLen = 64
	// maxCodes caps the error codes kept of one response.
	maxCodes = 8
	// unknownCode stands for an error without a usable extensions.code.
	unknownCode = "UNKNOWN"
)

// nameCap admits the first max distinct names and maps later ones to
// "other", so a caller cannot grow the metric series without bound.
type nameCap struct {
	max  int
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newNameCap(max int) *nameCap { return &nameCap{max: max, seen: map[string]struct{}{}} }

func (c *nameCap) label(name string) string {
	c.mu.RLock()
	_, ok := c.seen[name]
	c.mu.RUnlock()
	if ok {
		return name
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[name]; ok {
		return name
	}
	if len(c.seen) >= c.max {
		return otherName
	}
	c.seen[name] = struct{}{}
	return name
}

func validCode(c string) bool {
	if c == "" || len(c) > 40 {
		return false
	}
	for _, r := range c {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// outcome is the operation's metric label: ok, the error code when all
// errors share one, or "mixed" (errors_total then has each code).
func outcome(codes []string) string {
	switch len(codes) {
	case 0:
		return "ok"
	case 1:
		return codes[0]
	}
	return "mixed"
}

// truncate cuts s to at most n bytes. GraphQL names are ASCII, so no rune
// is split.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
