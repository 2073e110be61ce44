// Package timex holds the time helpers that several packages share.
package timex

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done if that comes first, and then returns
// ctx's error (nil when it slept fully). A d of zero or less does not wait:
// it only reports whether ctx is already done, so that a caller never goes
// on with a context it should have abandoned.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
