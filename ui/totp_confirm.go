package ui

import (
	"context"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
	"github.com/inkform/inkform/twofactor"
)

// handleTOTPConfirm serves POST /account/totp: the first code of the app,
// which proves it holds the secret. It enrols the user and shows the
// recovery codes, once. Someone half signed in (the org requires a second
// factor) is signed in by it.
func (s *Server) handleTOTPConfirm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.problem(w, r, nil, http.StatusBadRequest, "The form could not be read.")
		return
	}
	e, ok := s.enrolment(w, r)
	if !ok {
		return
	}
	if !equal(r.PostFormValue(csrfField), e.CSRF) {
		s.problem(w, r, e.Visit, http.StatusForbidden, forgedMessage)
		return
	}
	ctx := r.Context()
	t, err := s.TOTP.FindTOTP(ctx, e.Org.ID, e.User.ID)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND || (err == nil && t.Enrolled()):
		// Enrolled in another tab meanwhile, or reset: start over.
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, e.Visit, err)
		return
	}
	try, wait := startAttempt(budget{s.authInit().byUser, "user " + e.User.ID})
	if try == nil {
		setRetryAfter(w, wait)
		s.showEnrol(w, r, e, t.Secret, http.StatusTooManyRequests, "Too many wrong codes. Wait "+waitText(wait)+" and try again.")
		return
	}
	defer try.done()
	step, ok := twofactor.Check(t.Secret, strings.Join(strings.Fields(r.PostFormValue("code")), ""), s.now())
	if !ok {
		try.fail()
		s.showEnrol(w, r, e, t.Secret, http.StatusUnprocessableEntity,
			"That code is not right. Check that your phone's clock is right and type the code the app shows now.")
		return
	}
	codes := make([]string, inkform.RecoveryCodeCount)
	hashes := make([]string, len(codes))
	for i := range codes {
		codes[i] = inkform.NewRecoveryCode()
		hashes[i] = inkform.HashRecoveryCode(e.User.ID, codes[i])
	}
	// The secret checked is named: if another tab began a new one since,
	// this code proves nothing about it, and the person starts over.
	if err := s.TOTP.ConfirmTOTP(ctx, e.Org.ID, e.User.ID, t.Secret, step, hashes); inkform.ErrorCode(err) == inkform.ECONFLICT {
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
		return
	} else if err != nil {
		s.serverError(w, r, e.Visit, err)
		return
	}
	page := &view{Title: "Your recovery codes", Visit: e.Visit, Auth: &authView{Codes: codes, Pending: e.Pending != nil}}
	if e.Pending != nil {
		if _, err := s.startSession(w, r, e.User); err != nil {
			// The recovery codes will never be shown: undo the enrolment,
			// so the person starts again after the error, instead of
			// being enrolled without them.
			if err := s.TOTP.DeleteTOTP(context.WithoutCancel(ctx), e.Org.ID, e.User.ID); err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
				s.Logger.ErrorContext(ctx, "undo second factor enrolment", "user", e.User.ID, "err", err)
			}
			s.serverError(w, r, nil, err)
			return
		}
		s.clearCookie(w, r, loginCookie)
		s.clearCookie(w, r, pendingCookie)
		s.audit(r, e.User, "user "+e.User.ID, inkform.AuditUserTOTPEnrol, "")
		address := throttle.AddressKey(throttle.ClientAddr(r, s.TrustedProxies))
		s.audit(r, e.User, "user "+e.User.ID, inkform.AuditUserSignIn, "after setting up a second factor, from "+address)
	} else {
		s.audit(r, e.User, "user "+e.User.ID, inkform.AuditUserTOTPEnrol, "")
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "totp_codes", page)
}
