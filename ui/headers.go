package ui

import "net/http"

// contentSecurityPolicy allows the console's own files and nothing else:
// no inline script or style (so injected markup cannot run), no plugins,
// no framing by other sites, forms posted only back to this server. The
// station's PDF renderer (pdf.js) runs its parser in a worker from our
// own files; it is told not to compile code (isEvalSupported: false), so
// no 'unsafe-eval'.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// withHeaders sets the headers of every console response. Pages carry a
// person's data and CSRF tokens, so no cache keeps them; the static file
// handler replaces Cache-Control with its own.
func (s *Server) withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// denyCrossOrigin answers a state change that a browser says came from
// another site (Sec-Fetch-Site, Origin): a forged form, refused before any
// handler reads it.
func (s *Server) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	s.problem(w, r, nil, http.StatusForbidden, "This form was sent from another site, so inkform did not act on it.")
}
