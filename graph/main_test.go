package graph_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test of the package, faults included, must leave no goroutine
// behind: a leaked upstream call or loader is a bug.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
