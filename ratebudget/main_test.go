package ratebudget

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: a flight
// that never ended, a timer, a connection, a Redis client.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
