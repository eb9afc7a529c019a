package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// newTemplate is the editor's text for a new form: a small form that
// saves as it is, to change into the one wanted (docs/forms.md).
const newTemplate = `{
  "name": "New form",
  "pattern": "copied",
  "confidenceThreshold": 0.9,
  "pages": [{"size": {"w": 210, "h": 297}}],
  "fields": [
    {"name": "patient_no", "label": "Patient number", "type": "number", "page": 1,
     "box": {"x": 20, "y": 30, "w": 60, "h": 10}, "comb": 6, "required": true},
    {"name": "signature", "label": "Signature", "type": "signature", "page": 1,
     "box": {"x": 20, "y": 250, "w": 80, "h": 20}}
  ]
}
`

// handleFormNew serves GET /forms/new: the template editor with a small
// form to start from.
func (s *Server) handleFormNew(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.editorPage(w, r, v, http.StatusOK, "", &formsView{Action: "/forms", Text: newTemplate})
	return nil
}

// handleFormCreate serves POST /forms: the typed template becomes version
// 1 of a new form, checked as the API checks POST /api/v1/forms (unknown
// keys refused unless "ignore unknown keys" is ticked). What is wrong is
// shown on the editor, each problem on its line (422); nothing is stored.
// A stored form is audited (form.create) and its page is next (303).
func (s *Server) handleFormCreate(w http.ResponseWriter, r *http.Request, v *visit) error {
	fv := &formsView{Action: "/forms"}
	t, status, msg := readTemplate(r, fv)
	if t == nil {
		s.editorPage(w, r, v, status, msg, fv)
		return nil
	}
	form, err := s.Forms.CreateForm(r.Context(), v.Org.ID, t)
	err = placeConflict(err, t)
	if status, ok := templateStatus(err); ok {
		fv.Problems = templateProblems([]byte(fv.Text), err)
		s.editorPage(w, r, v, status, "", fv)
		return nil
	} else if err != nil {
		return fmt.Errorf("create form: %w", err)
	}
	s.auditCommitted(r, v, inkform.AuditFormCreate, inkform.AuditObject{Kind: "form", ID: form.ID}, fmt.Sprintf("version %d", form.Version))
	http.Redirect(w, r, formLink(form.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

// readTemplate reads the editor's post into fv (text, lenient, base) and
// decodes the template. When it cannot, it returns nil with the status
// to answer and either a message or fv.Problems filled in.
func readTemplate(r *http.Request, fv *formsView) (*inkform.FormTemplate, int, string) {
	// Browsers send a textarea's line breaks as CRLF.
	fv.Text = strings.ReplaceAll(r.PostFormValue("template"), "\r\n", "\n")
	fv.Lenient = r.PostFormValue("lenient") != ""
	if len(fv.Text) > maxTemplateText {
		return nil, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("The template has %d bytes; the editor takes at most %d. Send larger templates to the API.", len(fv.Text), maxTemplateText)
	}
	t, err := inkform.DecodeTemplate([]byte(fv.Text), fv.Lenient)
	if err != nil {
		status, _ := templateStatus(err)
		fv.Problems = templateProblems([]byte(fv.Text), err)
		return nil, status, ""
	}
	return t, 0, ""
}

// templateStatus maps an error of decoding or storing a template to the
// editor's status; ok is false for an error that is not the template's.
func templateStatus(err error) (int, bool) {
	switch inkform.ErrorCode(err) {
	case inkform.EINVALID, inkform.EUNPROCESSABLE:
		return http.StatusUnprocessableEntity, true
	case inkform.ECONFLICT:
		return http.StatusConflict, true
	}
	return 0, false
}

// editorPage shows the template editor of fv, with msg as an error when
// not "".
func (s *Server) editorPage(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fv *formsView) {
	title := "New form"
	if fv.Form != nil {
		title = "Edit " + fv.Form.Name
	}
	s.render(w, r, status, "form_edit", &view{Title: title, Visit: v, CSRF: v.CSRF, Error: msg, Forms: fv})
}
