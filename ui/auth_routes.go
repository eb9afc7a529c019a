package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// authRoutes are the second factor's and single sign-on's pages: the code
// after a password, enrolment (from the home page, or forced by the org's
// rule), an admin's reset, and the identity provider's round trip.
func (s *Server) authRoutes() []route {
	return []route{
		{"GET /login/code", http.HandlerFunc(s.handleLoginCodeShow)},
		{"POST /login/code", http.HandlerFunc(s.handleLoginCodeSubmit)},
		{"GET /account/totp", http.HandlerFunc(s.handleTOTPShow)},
		{"GET /account/totp/qr.png", http.HandlerFunc(s.handleTOTPQR)},
		{"POST /account/totp", http.HandlerFunc(s.handleTOTPConfirm)},
		{"GET /admin/users/{id}/totp", s.signedIn("", s.handleTOTPAdmin)},
		{"POST /admin/users/{id}/totp/reset", s.signedIn("", s.handleTOTPReset)},
		{"GET /login/sso", http.HandlerFunc(s.handleSSOStart)},
		{"GET /login/sso/callback", http.HandlerFunc(s.handleSSOCallback)},
	}
}

// authView is what the second factor's and single sign-on's pages show.
type authView struct {
	SSOName string // the identity provider, on the sign-in page

	Secret   string   // the secret being enrolled, in groups of four
	QR       string   // the path of its QR code
	Enrolled bool     // the user has a second factor
	Codes    []string // recovery codes, shown once after enrolment
	Left     int      // unused recovery codes
	Pending  bool     // the person is half signed in, not in a session

	Target *inkform.User // the user an admin looks at
}

// homeAuth is what the home page shows of second factors: nil when the
// server keeps none.
func (s *Server) homeAuth() *authView {
	if s.TOTP == nil {
		return nil
	}
	return &authView{}
}
