package ui

import "net/http"

// handleLoginCodeShow serves GET /login/code: the form for the second
// factor after a right password. Without a pending sign-in it sends the
// person back to the password.
func (s *Server) handleLoginCodeShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPending(r.Context(), r, pendingCode)
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if p == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.showCode(w, r, http.StatusOK, p, "")
}

// showCode renders the code form with a message, if any.
func (s *Server) showCode(w http.ResponseWriter, r *http.Request, status int, p *pending, message string) {
	s.render(w, r, status, "login_code", &view{Title: "Second factor", CSRF: p.CSRF, Error: message, Email: p.User.Email})
}
