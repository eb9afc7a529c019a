package http

import (
	"net/http"
	"net/netip"

	"github.com/inkform/inkform/throttle"
)

// clientAddr returns the address of the client that sent r, looking
// through the TrustedProxies (see throttle.ClientAddr).
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	return throttle.ClientAddr(r, s.TrustedProxies)
}
