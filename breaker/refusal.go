package breaker

import (
	"fmt"
	"net/http"
	"time"
)

// OpenError is a call refused because its circuit is open. It stands for
// the answer that opened it: Status is the upstream's last failing HTTP
// status (429, 5xx), or 0 when the upstream could not be reached.
type OpenError struct {
	Status int
	// RetryAfter is the cool-down left, at least a second (while a probe is
	// out there is no cool-down, but its answer is due soon).
	RetryAfter time.Duration
}

func (e *OpenError) Error() string {
	last := "no answer"
	if e.Status != 0 {
		last = fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("breaker: not calling the upstream for %s after repeated failures (last: %s)", e.RetryAfter, last)
}

// class is the refusal's metric label.
func (e *OpenError) class() string {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return "rate_limited"
	case e.Status == 0:
		return "unreachable"
	default:
		return "server_error"
	}
}

func (c *circuit) refusal() *OpenError {
	left := time.Until(time.Unix(0, c.openedAt.Load()).Add(c.cooldown))
	return &OpenError{Status: int(c.lastStatus.Load()), RetryAfter: max(left, time.Second)}
}
