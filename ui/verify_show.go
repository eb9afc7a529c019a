package ui

import "net/http"

// handleVerifyShow serves GET /verify, the verification station. It is a
// placeholder until the station is built (issue 11); the route, its
// permission and its place on the home page are what the station keeps.
func (s *Server) handleVerifyShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, "verify", &view{Title: "Verification", Visit: v, CSRF: v.CSRF})
	return nil
}
