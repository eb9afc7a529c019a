package ui

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/inkform/inkform"
)

// handleHandlerNew serves GET /handlers/new?form=&type=: without a type,
// the choice of one; with it, the editor of a new handler of the form.
func (s *Server) handleHandlerNew(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	form, err := s.findHandlerForm(w, r, v, q.Get("form"))
	if err != nil || form == nil {
		return err
	}
	typ := q.Get("type")
	if !slices.Contains(inkform.SubscriptionTypes(), typ) {
		s.render(w, r, http.StatusOK, "handler_edit", &view{Title: "New handler for " + form.Name, Visit: v, CSRF: v.CSRF,
			Handlers: &handlersView{Form: form, Types: s.handlerTypeChoices()}})
		return nil
	}
	h := &inkform.Subscription{FormID: form.ID, Type: typ, Events: []string{inkform.EventDocumentValidated}}
	if typ == inkform.SubscriptionExport {
		h.Format, h.Path = inkform.ExportJSON, inkform.DefaultExportPath
		if targets := s.SubscriptionOptions.ExportTargets; len(targets) > 0 {
			h.Target = targets[0]
		}
	}
	s.editor(w, r, v, http.StatusOK, form, nil, s.newHandlerForm(h))
	return nil
}

// editor shows the editor of a new handler (h nil) or of h.
func (s *Server) editor(w http.ResponseWriter, r *http.Request, v *visit, status int, form *inkform.Form, h *inkform.Subscription, f *handlerForm) {
	title := "New " + f.Type + " handler for " + form.Name
	if h != nil {
		title = "Edit " + h.Type + " handler " + h.ID
	}
	page := &view{Title: title, Visit: v, CSRF: v.CSRF, Handlers: &handlersView{Form: form, Handler: h, Edit: f}}
	if status != http.StatusOK {
		page.Error = "The handler is not saved: correct what is marked below."
	}
	s.render(w, r, status, "handler_edit", page)
}

// handleHandlerCreate serves POST /handlers: a new handler of one of the
// org's forms, held to the rules the API holds it to
// (inkform.CheckSubscription), and audited as the API audits it. A new
// webhook's signing secret is on the page that answers, and only there.
func (s *Server) handleHandlerCreate(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	form, err := s.findHandlerForm(w, r, v, r.PostFormValue("form"))
	if err != nil || form == nil {
		return err
	}
	typ := r.PostFormValue("type")
	if !slices.Contains(inkform.SubscriptionTypes(), typ) {
		s.problem(w, r, v, http.StatusUnprocessableEntity, "Choose a type of handler: webhook, email or export.")
		return nil
	}
	f := s.readHandlerForm(r, typ)
	f.FormID = form.ID
	h := &inkform.Subscription{FormID: form.ID, Type: typ}
	err = f.apply(h)
	if err == nil {
		err = inkform.CheckSubscription(h, form, s.SubscriptionOptions)
	}
	secret := ""
	if err == nil && typ == inkform.SubscriptionWebhook {
		secret = inkform.NewWebhookSecret()
	}
	if err == nil {
		err = s.Subscriptions.CreateSubscription(ctx, v.Org.ID, h, secret)
	}
	if f.refused(err) {
		s.editor(w, r, v, http.StatusUnprocessableEntity, form, nil, f)
		return nil
	} else if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "The form is gone: it was deleted meanwhile.")
		return nil
	} else if err != nil {
		return fmt.Errorf("create handler: %w", err)
	}
	s.auditHandler(r, v, inkform.AuditSubscriptionCreate, h.ID, handlerNote(h))
	// The page holds the secret, so no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	page := &view{Title: "Handler " + h.ID, Visit: v, CSRF: v.CSRF,
		Handlers: &handlersView{Form: form, Handler: h, Secret: secret}}
	page.Notice = "The handler is created."
	s.render(w, r, http.StatusCreated, "handler", page)
	return nil
}

// handleHandlerEditShow serves GET /handlers/{id}/edit: the editor with
// the handler's settings.
func (s *Server) handleHandlerEditShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	h, form, err := s.findHandler(w, r, v)
	if err != nil || h == nil {
		return err
	}
	s.editor(w, r, v, http.StatusOK, form, h, s.newHandlerForm(h))
	return nil
}

// handleHandlerEdit serves POST /handlers/{id}/edit: the editor's
// settings replace the handler's as the API's PATCH does — applied to the
// handler as stored at the moment of the write, checked, audited. Its
// type, form and secret stay.
func (s *Server) handleHandlerEdit(w http.ResponseWriter, r *http.Request, v *visit) error {
	h, form, err := s.findHandler(w, r, v)
	if err != nil || h == nil {
		return err
	}
	f := s.readHandlerForm(r, h.Type)
	f.FormID = h.FormID
	updated, err := s.Subscriptions.UpdateSubscription(r.Context(), v.Org.ID, h.ID, func(cur *inkform.Subscription) error {
		if err := f.apply(cur); err != nil {
			return err
		}
		return inkform.CheckSubscription(cur, form, s.SubscriptionOptions)
	})
	if f.refused(err) {
		s.editor(w, r, v, http.StatusUnprocessableEntity, form, h, f)
		return nil
	} else if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, noHandler)
		return nil
	} else if err != nil {
		return fmt.Errorf("update handler: %w", err)
	}
	s.auditHandler(r, v, inkform.AuditSubscriptionUpdate, updated.ID, handlerNote(updated))
	http.Redirect(w, r, "/handlers/"+updated.ID+"?done=saved", http.StatusSeeOther)
	return nil
}
