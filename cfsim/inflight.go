package cfsim

import "sync/atomic"

// inFlight counts requests being served, and the most ever served at once:
// a test proves that calls ran concurrently by reading MaxInFlight, with no
// timing assertion of its own.
type inFlight struct {
	now, peak atomic.Int64
}

func (f *inFlight) enter() {
	n := f.now.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (f *inFlight) leave() { f.now.Add(-1) }

// MaxInFlight is the largest number of requests served at the same time
// since the server started or ResetRequests was last called.
func (s *Server) MaxInFlight() int { return int(s.flight.peak.Load()) }
