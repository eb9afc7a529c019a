package ui

import "net/http"

// handleHome serves GET /: the console's home page, listing what the
// person's role may use and the server has set up.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, v *visit) error {
	allowed := sectionsFor(v.User.Role)
	wired := s.wired(allowed)
	s.render(w, r, http.StatusOK, "home", &view{
		Title: "Console", Visit: v, CSRF: v.CSRF,
		Sections: wired,
		Unwired:  len(allowed) > 0 && len(wired) == 0,
		IdleFor:  waitText(s.IdleTimeout),
		EndsAt:   v.Session.ExpiresAt,
		Auth:     s.homeAuth(),
	})
	return nil
}
