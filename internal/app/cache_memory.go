package app

import (
	"runtime/debug"

	"github.com/aigw/gqlfacade/ratebudget"
)

// cacheShareOfMemory is the part of the Go runtime's soft memory limit the
// response cache may hold (1/4). Cached answers are live heap, which the
// collector cannot reclaim: with the default limit of 48 MiB, a cache
// allowed its own default of 32 MiB would leave the rest of the service
// about 10 MiB between collections, and the collector would run almost
// constantly. A quarter leaves the heap room to breathe.
const cacheShareOfMemory = 4

// cacheMaxBytes bounds the response cache: a share of the memory limit
// (12 MiB under the default 48 MiB), and never more than ratebudget's own
// default (which applies as is when there is no limit).
func cacheMaxBytes(memLimit int64) int {
	return int(max(1, min(memLimit/cacheShareOfMemory, ratebudget.DefaultCacheMaxBytes)))
}

// memoryLimit is the soft memory limit the service runs under: GOMEMLIMIT,
// or the default TuneRuntime set.
func (c Config) memoryLimit() int64 {
	if c.memLimit > 0 {
		return c.memLimit
	}
	return debug.SetMemoryLimit(-1) // a negative value reads the limit without changing it
}
