package cfsim

// DeleteGateway removes a gateway and its logs, as deleting it on the
// dashboard does: from then on every endpoint of it answers 404 code 7002,
// and List Gateways leaves it out. It reports whether the gateway existed.
func (s *Server) DeleteGateway(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.gwConf[id]; !ok || s.deleted[id] {
		return false
	}
	if s.deleted == nil {
		s.deleted = map[string]bool{}
	}
	s.deleted[id] = true
	delete(s.gateways, id)
	return true
}

// gatewayGone reports whether DeleteGateway removed id.
func (s *Server) gatewayGone(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.deleted[id]
}
