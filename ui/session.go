package ui

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/inkform/inkform"
)

// touchEvery is how stale a session's last use may be before a request
// records a new one: writing on every request would cost a database write
// per page for a minute's precision nobody needs in an hour's idle timeout.
const touchEvery = time.Minute

// sweepEvery is how often a node deletes expired sessions, after a
// sign-in. Expired sessions are refused anyway; this keeps the table small.
const sweepEvery = time.Hour

// visit is a signed-in request: who, in which org, and the CSRF token its
// forms carry.
type visit struct {
	Session *inkform.Session
	User    *inkform.User
	Org     *inkform.Org
	CSRF    string
}

// Actor names the visitor in audit events.
func (v *visit) Actor() string { return "user " + v.User.ID }

// pageHandler serves a signed-in request. It answers what the person got
// wrong itself; an error it returns is inkform's failure (a 500 page).
type pageHandler func(w http.ResponseWriter, r *http.Request, v *visit) error

// signedIn wraps h so that it runs only for a live session whose user's
// role grants perm ("" for any role). Without a session a GET is sent to
// the sign-in page (303), as is a POST (its form cannot be trusted, and
// signing in again is what the person needs). A POST must carry the
// session's CSRF token, or it is refused (403) and changes nothing.
func (s *Server) signedIn(perm inkform.Permission, h pageHandler) http.Handler {
	return s.guard(perm, maxFormBytes, h)
}

// verifier is signedIn for the verification station's pages, which need
// its services: a server wired without them says so instead of failing.
func (s *Server) verifier(h pageHandler) http.Handler {
	return s.guard(inkform.PermDocumentsVerify, maxFormBytes, s.withStation(h))
}

// station is verifier for the station's saves, whose bodies carry a value
// per field of a form and may be larger.
func (s *Server) station(h pageHandler) http.Handler {
	return s.guard(inkform.PermDocumentsVerify, maxStationBytes, s.withStation(h))
}

// withStation runs h when the station's services are wired.
func (s *Server) withStation(h pageHandler) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasStation() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "The verification station is not set up on this server.")
			return nil
		}
		return h(w, r, v)
	}
}

// guard is signedIn with a bound on a POST's body. The CSRF token comes
// in the form field or, from the station's script (whose bodies are
// JSON), in the csrfHeader.
func (s *Server) guard(perm inkform.Permission, maxBody int64, h pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.visit(r)
		if err != nil {
			s.serverError(w, r, nil, err)
			return
		}
		if v == nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			// A file upload (multipart) is read whole, within maxBody, so
			// that its CSRF field is checked like any other form's.
			if err := r.ParseMultipartForm(maxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				if _, big := errors.AsType[*http.MaxBytesError](err); big {
					s.problem(w, r, v, http.StatusRequestEntityTooLarge, "The form is larger than this page takes.")
					return
				}
				s.problem(w, r, v, http.StatusBadRequest, "The form could not be read.")
				return
			}
			token := r.Header.Get(csrfHeader)
			if token == "" {
				token = r.PostFormValue(csrfField)
			}
			if !equal(token, v.CSRF) {
				s.problem(w, r, v, http.StatusForbidden, forgedMessage)
				return
			}
		}
		if perm != "" && !v.User.Role.Can(perm) {
			s.problem(w, r, v, http.StatusForbidden, "Your role ("+string(v.User.Role)+") does not include this page.")
			return
		}
		if err := h(w, r, v); err != nil {
			s.serverError(w, r, v, err)
		}
	})
}

// forgedMessage answers a form without the right CSRF token. The likely
// cause is innocent (a page left open across a sign-out and back in), so
// it says what to do rather than accuse.
const forgedMessage = "This form is out of date or did not come from this page. Go back, reload the page and try again."

// maxFormBytes bounds a posted form: the console's forms are small.
const maxFormBytes = 16 << 10

// maxStationBytes bounds a station's save: a value per field, up to
// inkform.MaxFields of them.
const maxStationBytes = 1 << 20

// visit returns the request's live session with its user and org, nil
// when there is none (no cookie, unknown, expired or signed out), and an
// error only when the store fails.
func (s *Server) visit(r *http.Request) (*visit, error) {
	c, err := r.Cookie(s.cookieName(r, sessionCookie))
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx := r.Context()
	sess, err := s.Sessions.FindSession(ctx, c.Value)
	if inkform.ErrorCode(err) == inkform.EUNAUTHORIZED {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	// The store checks expiry by its clock; this checks by ours, so that a
	// node whose clock runs ahead of the database's does not stretch it.
	if !sess.Live(now) {
		return nil, nil
	}
	u, err := s.Users.FindUserByID(ctx, sess.OrgID, sess.UserID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND || err == nil && u.Disabled {
		// Disabling ends a user's sessions; this refuses any left over.
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	org, err := s.Orgs.FindOrgByID(ctx, sess.OrgID)
	if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		s.touch(ctx, sess, now)
	}
	return &visit{Session: sess, User: u, Org: org, CSRF: sessionCSRF(c.Value)}, nil
}

// touch moves a session's idle expiry forward. A failure only shortens the
// session, so it is logged and the request goes on.
func (s *Server) touch(ctx context.Context, sess *inkform.Session, now time.Time) {
	idle := now.Add(s.IdleTimeout)
	if err := s.Sessions.TouchSession(ctx, sess.OrgID, sess.ID, idle); err != nil {
		s.Logger.WarnContext(ctx, "session not touched", slog.String("session", sess.ID), slog.Any("err", err))
		return
	}
	sess.LastSeenAt, sess.IdleExpiresAt = now, idle
	if idle.After(sess.ExpiresAt) {
		sess.IdleExpiresAt = sess.ExpiresAt
	}
}

// startSession creates a session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *inkform.User) (*inkform.Session, error) {
	now := s.now()
	sess := &inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: now.Add(s.IdleTimeout), ExpiresAt: now.Add(s.MaxAge)}
	token, err := s.Sessions.CreateSession(r.Context(), sess)
	if err != nil {
		return nil, err
	}
	// A cookie without Max-Age ends with the browser, which suits shared
	// clinic computers; the server's expiry bounds it either way.
	s.setCookie(w, r, sessionCookie, token, 0)
	s.sweep(r.Context(), now)
	return sess, nil
}

// sweep deletes expired sessions, at most once per sweepEvery per node.
func (s *Server) sweep(ctx context.Context, now time.Time) {
	last := s.swept.Load()
	if now.Unix()-last < int64(sweepEvery/time.Second) || !s.swept.CompareAndSwap(last, now.Unix()) {
		return
	}
	if _, err := s.Sessions.DeleteExpiredSessions(ctx, now); err != nil {
		s.Logger.WarnContext(ctx, "expired sessions not deleted", slog.Any("err", err))
	}
}
