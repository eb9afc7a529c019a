package ui

import "net/http"

// handleHome serves GET /: the console's home page, listing what the
// person's role may use.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, "home", &view{
		Title: "Console", Visit: v, CSRF: v.CSRF,
		Sections: sectionsFor(v.User.Role),
		IdleFor:  waitText(s.IdleTimeout),
		EndsAt:   v.Session.ExpiresAt,
		Auth:     s.homeAuth(),
	})
	return nil
}
