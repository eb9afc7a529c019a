package ui

import (
	"net/http"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/twofactor"
)

// handleTOTPShow serves GET /account/totp: the second factor's state for
// someone who has one, else a new secret as QR code and text with the
// form that confirms it. The secret is kept unconfirmed until then, so a
// reload shows the same one.
func (s *Server) handleTOTPShow(w http.ResponseWriter, r *http.Request) {
	e, ok := s.enrolment(w, r)
	if !ok {
		return
	}
	t, err := s.TOTP.FindTOTP(r.Context(), e.Org.ID, e.User.ID)
	switch {
	case err == nil && t.Enrolled():
		s.render(w, r, http.StatusOK, "totp", &view{Title: "Second factor", Visit: e.Visit, CSRF: e.CSRF,
			Auth: &authView{Enrolled: true, Left: t.RecoveryCodes}})
		return
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		k, err := twofactor.NewKey(issuer(e.Org), e.User.Email)
		if err != nil {
			s.serverError(w, r, e.Visit, err)
			return
		}
		if err := s.TOTP.BeginTOTP(r.Context(), e.Org.ID, e.User.ID, k.Secret); err != nil {
			s.serverError(w, r, e.Visit, err)
			return
		}
		t = &inkform.TOTP{Secret: k.Secret}
	case err != nil:
		s.serverError(w, r, e.Visit, err)
		return
	}
	s.showEnrol(w, r, e, t.Secret, http.StatusOK, "")
}

// showEnrol renders the enrolment form for secret with a message, if any.
func (s *Server) showEnrol(w http.ResponseWriter, r *http.Request, e *enrolee, secret string, status int, message string) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "totp", &view{Title: "Set up a second factor", Visit: e.Visit, CSRF: e.CSRF, Error: message,
		Auth: &authView{Secret: groups(secret, 4), QR: "/account/totp/qr.png", Pending: e.Pending != nil}})
}

// groups splits s into groups of n characters, for people to copy.
func groups(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

// handleTOTPQR serves GET /account/totp/qr.png: the QR code of the secret
// being enrolled. Once enrolled the secret is never shown again.
func (s *Server) handleTOTPQR(w http.ResponseWriter, r *http.Request) {
	e, ok := s.enrolment(w, r)
	if !ok {
		return
	}
	t, err := s.TOTP.FindTOTP(r.Context(), e.Org.ID, e.User.ID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND || (err == nil && t.Enrolled()) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		s.serverError(w, r, e.Visit, err)
		return
	}
	k, err := twofactor.KeyFor(issuer(e.Org), e.User.Email, t.Secret)
	if err != nil {
		s.serverError(w, r, e.Visit, err)
		return
	}
	img, err := twofactor.QRCode(k.URL)
	if err != nil {
		s.serverError(w, r, e.Visit, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(img)
}
