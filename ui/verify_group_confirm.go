package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// handleVerifyGroupConfirm serves POST /verify/forms/{form}/group: the
// person has looked at the field on every document of the screen (doc,
// repeated) and corrected some (d.<document ID>). It confirms them all
// (VerificationService.Confirm, the API's rules): each document with
// nothing doubtful left is approved, and the person goes on to the next
// screen, told how many were approved. A value that breaks a rule refuses
// the whole screen, which comes back (422) with the problem on its cell
// and what was typed.
func (s *Server) handleVerifyGroupConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	form, field, err := s.groupField(w, r, v, r.PathValue("form"), r.PostFormValue("field"))
	if form == nil {
		return err
	}
	ids := r.PostForm["doc"]
	if len(ids) == 0 || len(ids) > inkform.MaxGroupSize {
		s.problem(w, r, v, http.StatusBadRequest, "The screen named no documents, or too many.")
		return nil
	}
	raw := map[string]json.RawMessage{}
	for _, id := range ids {
		doc, err := s.Documents.FindDocument(ctx, v.Org.ID, id)
		if inkform.ErrorCode(err) == inkform.ENOTFOUND {
			s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted.")
			return nil
		} else if err != nil {
			return fmt.Errorf("find document: %w", err)
		}
		var typed any
		if text := strings.TrimSpace(r.PostFormValue("d." + id)); text != "" {
			typed = text
		}
		if !sameValue(doc.Fields[field.Name].Value, typed) {
			raw[id] = mustJSON(typed)
		}
	}
	approved, err := s.Verification.Confirm(ctx, v.Org.ID, form.ID, field.Name, v.User.ID, ids, raw)
	for _, id := range approved {
		s.auditChange(r, v, inkform.AuditDocumentApprove, id, "in a group on "+field.Name)
	}
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.EUNPROCESSABLE, inkform.EINVALID:
		return s.groupRefused(w, r, v, form, field, ids, err)
	case inkform.ECONFLICT:
		s.problem(w, r, v, http.StatusConflict, "Another person is verifying one of these documents just now, or your hold on them ran out. Open the group again.")
		return nil
	case inkform.ENOTFOUND:
		s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted.")
		return nil
	default:
		return err
	}
	for _, id := range ids {
		detail := "confirmed " + field.Name + " in a group"
		if _, ok := raw[id]; ok {
			detail = "set " + field.Name + " in a group"
		}
		s.auditChange(r, v, inkform.AuditDocumentUpdate, id, detail)
	}
	next := groupURL(form.ID, field.Name) + "&approved=" + strconv.Itoa(len(approved)) + "&of=" + strconv.Itoa(len(ids))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// groupRefused shows the screen again (422) with what the person typed
// and each problem on its cell ("documents.<id>.fields.<field>").
func (s *Server) groupRefused(w http.ResponseWriter, r *http.Request, v *visit, form *inkform.Form, field *inkform.Field, ids []string, err error) error {
	g, berr := s.buildGroup(r.Context(), v, form, field, ids, false)
	if berr != nil {
		return berr
	}
	g.Problem = "The screen was not confirmed. Correct the values marked below and confirm again."
	placed := false
	for _, p := range inkform.ErrorProblems(err) {
		for i := range g.Cells {
			c := &g.Cells[i]
			if strings.HasPrefix(p.Path, "documents."+c.Doc+".") || p.Path == "documents."+c.Doc {
				c.Problems = append(c.Problems, p.Message)
				c.Doubtful, c.Level = true, "bad"
				if !placed {
					g.Current, placed = c.Doc, true
				}
			}
		}
	}
	if !placed {
		g.Problem += " " + inkform.ErrorMessage(err)
	}
	for i := range g.Cells {
		if vals, ok := r.PostForm[g.Cells[i].Input]; ok && len(vals) > 0 {
			g.Cells[i].Value = vals[len(vals)-1]
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "group", &view{Title: g.Label + " · Group verification", Visit: v, CSRF: v.CSRF, Group: g})
	return nil
}
