package ui

import (
	"io"
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// doneView is the page of a submitted document: its status and values.
type doneView struct {
	Form    *inkform.Form
	Doc     *inkform.Document
	Values  []doneValue
	PDF     string // the PDF's URL
	Again   string // the form's URL, to fill it in once more
	Pending bool   // not yet interpreted: the page asks again
}

// doneValue is one field's value as people read it.
type doneValue struct {
	Title, Text string
	Valid       bool
	Problems    []string
}

// handleTabletDone serves GET /f/{form}/done/{doc}: what became of a
// submission. While the pipeline has not yet read it the page reloads
// for it every few seconds (tablet.js; without a script, a link does).
func (s *Server) handleTabletDone(w http.ResponseWriter, r *http.Request, v *visit) error {
	doc, err := s.tabletDocument(w, r, v)
	if doc == nil || err != nil {
		return err
	}
	form, err := s.Forms.FindFormVersion(r.Context(), v.Org.ID, doc.FormID, doc.FormVersion)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, v, doc.ID, "tablet"); err != nil {
		return err
	}
	dv := &doneView{Form: form, Doc: doc, Again: "/f/" + form.ID, Pending: doc.Status == inkform.StatusReceived,
		PDF: r.URL.Path + "/document.pdf?" + r.URL.RawQuery}
	for i := range form.Fields {
		f := &form.Fields[i]
		fv, ok := doc.Fields[f.Name]
		title := f.Label
		if title == "" {
			title = f.Name
		}
		d := doneValue{Title: title, Text: inkform.ValueText(fv.Value), Valid: !ok || fv.Valid, Problems: fv.Problems}
		if !ok {
			d.Text = "(being read)"
		}
		dv.Values = append(dv.Values, d)
	}
	s.render(w, r, http.StatusOK, "tablet_done", &view{Title: form.Name + " · submitted", Visit: v, CSRF: v.CSRF, Done: dv})
	return nil
}

// handleTabletPDF serves GET /f/{form}/done/{doc}/document.pdf: the PDF of
// the document as it is now. While it is being made a short page says so
// (202), and its script opens the PDF once it is there.
func (s *Server) handleTabletPDF(w http.ResponseWriter, r *http.Request, v *visit) error {
	doc, err := s.tabletDocument(w, r, v)
	if doc == nil || err != nil {
		return err
	}
	if s.Renders == nil || s.Blobs == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "This server keeps no PDFs of documents.")
		return nil
	}
	ctx := r.Context()
	render, err := s.Renders.FindRender(ctx, v.Org.ID, doc.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return err
	}
	if render.Current(doc) {
		rc, info, err := s.Blobs.Get(ctx, render.Key)
		switch inkform.ErrorCode(err) {
		case "":
			defer rc.Close()
			if err := s.auditRead(r, v, doc.ID, "pdf"); err != nil {
				return err
			}
			h := w.Header()
			h.Set("Content-Type", "application/pdf")
			h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
			h.Set("Content-Disposition", `inline; filename="`+doc.ID+`.pdf"`)
			if _, err := io.Copy(w, rc); err != nil {
				s.Logger.WarnContext(ctx, "document pdf not sent", "err", err)
			}
			return nil
		case inkform.ENOTFOUND:
			// The record outlived its file: make it again.
		default:
			return err
		}
	}
	if err := s.Renders.RequestRender(ctx, v.Org.ID, doc.ID); err != nil {
		return err
	}
	w.Header().Set("Retry-After", "2")
	s.render(w, r, http.StatusAccepted, "tablet_pdf", &view{Title: "PDF being made", Visit: v, CSRF: v.CSRF})
	return nil
}

// tabletDocument finds the path's document in the visitor's org, for a
// visitor who submitted it in this session (the done key) or who may read
// documents. Anything else, a document of another form included, is the
// same 404, which says nothing of whether the document exists.
func (s *Server) tabletDocument(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.Document, error) {
	id := r.PathValue("doc")
	if !v.User.Role.Can(inkform.PermDocumentsRead) && !equal(r.URL.Query().Get("k"), doneKey(v, id)) {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document, or it was submitted in another session.")
		return nil, nil
	}
	doc, err := s.Documents.FindDocument(r.Context(), v.Org.ID, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND || (err == nil && doc.FormID != r.PathValue("form")) {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document, or it was submitted in another session.")
		return nil, nil
	}
	return doc, err
}
