package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/inkform/inkform"
)

// groupSize is how many documents one group-verification screen leases:
// a grid a person scans in one look on a laptop, well under
// inkform.MaxGroupSize.
const groupSize = 24

// groupView is one screen of group verification: one field of one form
// on many waiting documents.
type groupView struct {
	Form      *inkform.Form
	Field     string
	Label     string
	Digits    bool
	Cells     []groupCell
	Current   string // the document whose cell the cursor starts on
	Problem   string // why the screen was not confirmed, for a 422
	Threshold string
	Waiting   int // documents of the form still waiting, after this screen
}

// groupCell is one document's cell: the field as the station shows it,
// with its input named after the document.
type groupCell struct {
	Doc string
	N   int // its place on the screen, from 1, for the label
	fieldView
}

// groupable reports whether a field can be verified in a group: a value
// typed into a text input, and not a blind double entry, whose second
// person would see the first's value.
func groupable(f *inkform.Field) bool {
	switch f.Type {
	case inkform.FieldText, inkform.FieldNumber, inkform.FieldDate:
		return !f.DoubleEntry
	}
	return false
}

// handleVerifyGroup serves GET /verify/forms/{form}/group?field=NAME:
// it leases up to groupSize waiting documents of the form to the person
// and shows the field on each, with an input holding the value read.
// ?approved=N&of=M reports the screen just confirmed.
func (s *Server) handleVerifyGroup(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	form, field, err := s.groupField(w, r, v, r.PathValue("form"), r.URL.Query().Get("field"))
	if form == nil {
		return err
	}
	leases, err := s.Leases.LeaseGroup(ctx, v.Org.ID, form.ID, v.User.ID, groupSize, s.now().Add(inkform.DefaultLeaseTTL))
	if err != nil {
		return fmt.Errorf("lease group: %w", err)
	}
	ids := make([]string, 0, len(leases))
	for _, l := range leases {
		ids = append(ids, l.DocumentID)
	}
	g, err := s.buildGroup(ctx, v, form, field, ids, true)
	if err != nil {
		return err
	}
	for _, c := range g.Cells {
		if err := s.auditRead(r, v, c.Doc, "group "+field.Name); err != nil {
			return err
		}
	}
	page := &view{Title: g.Label + " · Group verification", Visit: v, CSRF: v.CSRF, Group: g}
	if q := r.URL.Query(); q.Has("approved") {
		approved, _ := strconv.Atoi(q.Get("approved"))
		of, _ := strconv.Atoi(q.Get("of"))
		page.Notice = fmt.Sprintf("Confirmed %d documents: %d approved, %d kept waiting for a field still doubtful (open them one by one).",
			of, approved, max(of-approved, 0))
	}
	s.render(w, r, http.StatusOK, "group", page)
	return nil
}

// groupField finds the form and the field of a group screen. When it
// returns a nil form it has answered (404 for no such form or field, 422
// for a field that cannot be verified in a group) or failed (err).
func (s *Server) groupField(w http.ResponseWriter, r *http.Request, v *visit, formID, name string) (*inkform.Form, *inkform.Field, error) {
	form, err := s.Forms.FindForm(r.Context(), v.Org.ID, formID)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		s.problem(w, r, v, http.StatusNotFound, "There is no such form.")
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("find form: %w", err)
	}
	f := form.Field(name)
	switch {
	case f == nil:
		s.problem(w, r, v, http.StatusNotFound, "The form has no such field.")
		return nil, nil, nil
	case f.DoubleEntry:
		s.problem(w, r, v, http.StatusUnprocessableEntity, labelOf(f)+" is typed twice, blind (double entry), so nobody may see another's value: verify it one document at a time, with Start.")
		return nil, nil, nil
	case !groupable(f):
		s.problem(w, r, v, http.StatusUnprocessableEntity, labelOf(f)+" cannot be verified in a group: only text, number and date fields can.")
		return nil, nil, nil
	}
	return form, f, nil
}

// buildGroup reads the field of each document for the grid. With skip,
// a document whose field a person has already confirmed (it waits for
// another field) is released and left out, so the next screen does not
// offer it again.
func (s *Server) buildGroup(ctx context.Context, v *visit, form *inkform.Form, field *inkform.Field, ids []string, skip bool) (*groupView, error) {
	g := &groupView{Form: form, Field: field.Name, Label: labelOf(field), Threshold: percent(form.ConfidenceThreshold),
		Digits: field.EffectiveCharset() == inkform.CharsetDigits}
	versions := map[int]*inkform.Form{form.Version: form}
	for _, id := range ids {
		doc, err := s.Documents.FindDocument(ctx, v.Org.ID, id)
		if err != nil {
			return nil, fmt.Errorf("find document: %w", err)
		}
		fv := versions[doc.FormVersion]
		if fv == nil {
			if fv, err = s.Forms.FindFormVersion(ctx, v.Org.ID, doc.FormID, doc.FormVersion); err != nil {
				return nil, fmt.Errorf("find form: %w", err)
			}
			versions[doc.FormVersion] = fv
		}
		f := fv.Field(field.Name)
		val := doc.Fields[field.Name]
		if f == nil || (skip && val.Source == inkform.SourceVerifier && val.Valid) {
			if err := s.Leases.ReleaseLease(ctx, v.Org.ID, id, v.User.ID); err != nil {
				return nil, fmt.Errorf("release lease: %w", err)
			}
			continue
		}
		cell := groupCell{Doc: id, N: len(g.Cells) + 1, fieldView: fieldOf(doc, fv, f, nil, nil)}
		cell.Input = "d." + id
		if g.Current == "" && cell.Doubtful {
			g.Current = id
		}
		g.Cells = append(g.Cells, cell)
	}
	if g.Current == "" && len(g.Cells) > 0 {
		g.Current = g.Cells[0].Doc
	}
	queues, err := s.Leases.ListVerificationQueues(ctx, v.Org.ID)
	if err != nil {
		return nil, fmt.Errorf("list verification queues: %w", err)
	}
	for _, q := range queues {
		if q.FormID == form.ID {
			g.Waiting = q.Waiting
		}
	}
	return g, nil
}

// groupURL is the group screen of a form's field.
func groupURL(formID, field string) string {
	return "/verify/forms/" + url.PathEscape(formID) + "/group?field=" + url.QueryEscape(field)
}
