package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// documentView is one document's page: what was read from it, its PDF,
// its ink and its history.
type documentView struct {
	Doc       *inkform.Document
	FormName  string
	Status    string
	Values    []valueRow
	History   []historyRow
	Strokes   int
	HasPDF    bool
	CanDelete bool
	// CanVerify links the verification station while it waits.
	CanVerify bool
}

// valueRow is one field's value with how sure the engine was.
type valueRow struct {
	Name, Label, Value string
	Confidence         string
	Level              string // "", "low" or "bad", as in the station
	Problems           []string
	Source             string
}

// handleDocument serves GET /documents/{id}: the document's values with
// their confidence and problems, a link to its PDF, its ink replayed and
// its history. Reading it is audited, as the API's reads are.
func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request, v *visit) error {
	dv, err := s.documentPage(w, r, v)
	if err != nil || dv == nil {
		return err
	}
	if err := s.auditRead(r, v, dv.Doc.ID, "document"); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "document", &view{Title: "Document " + dv.Doc.ID, Visit: v, CSRF: v.CSRF, Doc: dv})
	return nil
}

// documentPage reads what the document's page shows; nil (answered)
// when the org has no such document.
func (s *Server) documentPage(w http.ResponseWriter, r *http.Request, v *visit) (*documentView, error) {
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted.")
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	form, err := s.Forms.FindFormVersion(ctx, v.Org.ID, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, fmt.Errorf("find form of document %s: %w", doc.ID, err)
	}
	dv := &documentView{Doc: doc, FormName: form.Name, Status: statusText(doc.Status),
		HasPDF:    s.Renders != nil && s.Blobs != nil,
		CanDelete: s.Purger != nil && v.User.Role.Can(inkform.PermDocumentsDelete),
		CanVerify: doc.Status == inkform.StatusNeedsVerification && s.Verification != nil && v.User.Role.Can(inkform.PermDocumentsVerify)}
	for _, p := range doc.Pages {
		dv.Strokes += p.Strokes
	}
	for i := range form.Fields {
		f := &form.Fields[i]
		fv, ok := doc.Fields[f.Name]
		row := valueRow{Name: f.Name, Label: labelOf(f)}
		if ok {
			row.Value, row.Confidence, row.Problems, row.Source = inkform.ValueText(fv.Value), percent(fv.Confidence), fv.Problems, string(fv.Source)
			switch {
			case !fv.Valid || len(fv.Problems) > 0:
				row.Level = "bad"
			case fv.Source == inkform.SourceICR && fv.Confidence < form.ConfidenceThreshold:
				row.Level = "low"
			}
		}
		dv.Values = append(dv.Values, row)
	}
	if s.Entries != nil {
		if dv.History, err = s.history(ctx, v, doc.ID); err != nil {
			return nil, err
		}
	} else {
		changes, err := s.Documents.ListStatusChanges(ctx, v.Org.ID, doc.ID)
		if err != nil {
			return nil, fmt.Errorf("list status changes: %w", err)
		}
		for _, c := range changes {
			dv.History = append(dv.History, historyRow{At: c.At, Who: "inkform", What: "status",
				From: statusText(c.From), To: statusText(c.To), Cause: c.Cause})
		}
	}
	return dv, nil
}

// LevelText says a value's level in words, for those who cannot see the
// colour.
func (r valueRow) LevelText() string {
	switch r.Level {
	case "bad":
		return "breaks a rule: " + strings.Join(r.Problems, "; ")
	case "low":
		return "unsure"
	}
	return ""
}
