package app

import (
	"os"
	"runtime/debug"
)

// The service's garbage is short-lived request state (decoded pages, gqlgen's
// per-field contexts) over a live heap of a few MiB, so Go's default GOGC of
// 100 collects far more often than memory requires. 200 halves the number
// of collections; the soft limit keeps the heap, and so the RSS, within the
// benchmark's 64 MiB budget when load pushes it up: near the limit the runtime
// collects as often as it must, whatever GOGC says. The response cache is
// sized against the limit in force (cacheMaxBytes), so that it cannot fill it.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 48 << 20 // bytes
)

// TuneRuntime applies those defaults, each only where the environment does
// not set its own: a non-empty GOGC or GOMEMLIMIT (which the runtime has
// already applied) wins. GOGC=off without GOMEMLIMIT asks for no collection
// at all, so no default limit is added to it either.
func TuneRuntime() {
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" && gogc != "off" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
