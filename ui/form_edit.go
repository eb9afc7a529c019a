package ui

import (
	"fmt"
	"net/http"
	"strconv"
)

// handleFormEdit serves GET /forms/{id}/edit: the editor with the latest
// version's template, page addresses included, to save as the next
// version. With ?from=N it starts from version N's template instead, to
// bring an earlier version back as the next one.
func (s *Server) handleFormEdit(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	from := form
	if q := r.URL.Query().Get("from"); q != "" {
		n, convErr := strconv.Atoi(q)
		if convErr == nil && n >= 1 && n < form.Version {
			from, err = s.Forms.FindFormVersion(r.Context(), v.Org.ID, form.ID, n)
			if err != nil {
				return fmt.Errorf("find version: %w", err)
			}
		}
	}
	text, err := templateText(from)
	if err != nil {
		return err
	}
	s.editorPage(w, r, v, http.StatusOK, "", &formsView{Form: form, Action: formLink(form.ID), Text: text, Base: form.Version})
	return nil
}

// handleFormUpdate serves POST /forms/{id}: the typed template becomes
// the form's next version, checked as PUT /api/v1/forms/{id} checks it.
// When someone saved another version since the editor was opened (base),
// nothing is stored and the editor says so (409), keeping the text, so
// one person's change does not silently undo another's. A stored version
// is audited (form.update) and the form's page is next (303).
func (s *Server) handleFormUpdate(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	fv := &formsView{Form: form, Action: formLink(form.ID)}
	t, status, msg := readTemplate(r, fv)
	fv.Base, _ = strconv.Atoi(r.PostFormValue("base"))
	if fv.Base != form.Version {
		// The next save is from the version now latest: the person has
		// been told and decides.
		fv.Base, fv.Problems = form.Version, nil
		s.editorPage(w, r, v, http.StatusConflict, fmt.Sprintf(
			"Version %d of this form was saved after you opened the editor, so your text was not saved. Compare it with the form's page (in another tab); saving again makes your text version %d.",
			form.Version, form.Version+1), fv)
		return nil
	}
	if t == nil {
		s.editorPage(w, r, v, status, msg, fv)
		return nil
	}
	updated, err := s.Forms.UpdateForm(r.Context(), v.Org.ID, form.ID, t)
	err = placeConflict(err, t)
	if status, ok := templateStatus(err); ok {
		fv.Problems = templateProblems([]byte(fv.Text), err)
		s.editorPage(w, r, v, status, "", fv)
		return nil
	} else if err != nil {
		return fmt.Errorf("update form: %w", err)
	}
	s.auditForm(r, v, form.ID, fmt.Sprintf("version %d", updated.Version))
	http.Redirect(w, r, formLink(form.ID)+"?done=saved", http.StatusSeeOther)
	return nil
}
