package ui

import (
	"context"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
	"github.com/inkform/inkform/twofactor"
)

// errCode is the one answer to a wrong code: wrong, too old, used before
// and an unknown recovery code read the same.
const errCode = "That code is not right, or was used already. Type the code your app shows now, or one of your recovery codes."

// handleLoginCodeSubmit serves POST /login/code: a code from the
// authenticator app or a recovery code, with the pending sign-in's CSRF
// token. A right one starts the session; wrong ones are throttled per
// user, like passwords per account.
func (s *Server) handleLoginCodeSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Redirect(w, r, "/login/code", http.StatusSeeOther)
		return
	}
	p, err := s.findPending(r.Context(), r, pendingCode)
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if p == nil {
		s.showLogin(w, r, http.StatusForbidden, &view{Error: "Your sign-in took too long or did not start here. Please sign in again."})
		return
	}
	if !equal(r.PostFormValue(csrfField), p.CSRF) {
		s.showCode(w, r, http.StatusForbidden, p, forgedMessage)
		return
	}
	try, wait := startAttempt(budget{s.authInit().byUser, "user " + p.User.ID})
	if try == nil {
		setRetryAfter(w, wait)
		s.showCode(w, r, http.StatusTooManyRequests, p, "Too many wrong codes. Wait "+waitText(wait)+" and try again.")
		return
	}
	defer try.done()
	how, err := s.checkSecondFactor(r.Context(), p.User, r.PostFormValue("code"))
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	address := throttle.AddressKey(throttle.ClientAddr(r, s.TrustedProxies))
	switch how {
	case "":
		try.fail()
		s.audit(r, p.User, "anonymous", inkform.AuditUserTOTPFail, "wrong code from "+address)
		s.showCode(w, r, http.StatusOK, p, errCode)
		return
	case "recovery code":
		s.audit(r, p.User, "user "+p.User.ID, inkform.AuditUserRecoveryUsed, "from "+address)
	}
	s.signInDone(w, r, p.User, inkform.AuditUserSignIn, "with a "+how+" from "+address)
}

// checkSecondFactor returns how code signs u in ("code" or "recovery
// code"), "" when it does not. Six digits are a code of the app, each
// good once; anything else is tried as a recovery code, which is then
// spent.
func (s *Server) checkSecondFactor(ctx context.Context, u *inkform.User, code string) (string, error) {
	code = strings.Join(strings.Fields(code), "")
	if code == "" || len(code) > inkform.MaxRecoveryCodeLength {
		return "", nil
	}
	if len(code) == twofactor.Digits && strings.Trim(code, "0123456789") == "" {
		t, err := s.TOTP.FindTOTP(ctx, u.OrgID, u.ID)
		if inkform.ErrorCode(err) == inkform.ENOTFOUND {
			return "", nil
		} else if err != nil {
			return "", err
		}
		step, ok := twofactor.Check(t.Secret, code, s.now())
		if !ok || !t.Enrolled() {
			return "", nil
		}
		switch err := s.TOTP.UseTOTPStep(ctx, u.OrgID, u.ID, step); inkform.ErrorCode(err) {
		case "":
			return "code", nil
		case inkform.ECONFLICT, inkform.ENOTFOUND:
			return "", nil
		default:
			return "", err
		}
	}
	switch err := s.TOTP.UseRecoveryCode(ctx, u.OrgID, u.ID, inkform.HashRecoveryCode(u.ID, code)); inkform.ErrorCode(err) {
	case "":
		return "recovery code", nil
	case inkform.ENOTFOUND:
		return "", nil
	default:
		return "", err
	}
}
