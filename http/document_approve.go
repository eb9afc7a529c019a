package http

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleDocumentApprove answers POST /api/v1/documents/{id}/approve: a
// verifier confirms the document, which becomes validated. It is refused
// (422 naming each field) while a required field is empty, a value breaks
// a rule, or a signature or drawing is true without ink in its box (a
// document stored before that rule). Approving a validated document again
// changes nothing.
func (s *Server) handleDocumentApprove(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	doc, err := s.Documents.FindDocument(r.Context(), org, id)
	if err != nil {
		return err
	}
	form, err := s.Forms.FindFormVersion(r.Context(), org, doc.FormID, doc.FormVersion)
	if err != nil {
		return err
	}
	values := make(map[string]any, len(form.Fields))
	for _, f := range form.Fields {
		values[f.Name] = doc.Fields[f.Name].Value
	}
	unfound, err := s.unfoundInk(r.Context(), org, doc, form, values)
	if err != nil {
		return err
	}
	var problems []inkform.Problem
	for i := range form.Fields {
		f := &form.Fields[i]
		for _, p := range f.Check(values[f.Name]) {
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: p})
		}
		if p, ok := unfound[f.Name]; ok {
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: p})
		}
	}
	if len(problems) > 0 {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "cannot approve: %s %s", problems[0].Path, problems[0].Message)
		if len(problems) > 1 {
			e.Message += fmt.Sprintf(" (and %d more)", len(problems)-1)
		}
		e.Problems = problems
		return e
	}
	doc, err = s.Updater.SetStatus(r.Context(), org, id, inkform.StatusValidated, "approved by verifier "+principalName(r))
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditDocumentApprove, "document", id, "")
	return writeJSON(w, http.StatusOK, doc)
}
