package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/inkform/inkform"
)

// formNotices are the notices a form's page shows after a change
// (?done=).
var formNotices = map[string]string{
	"created":    "The form is created as version 1.",
	"saved":      "The new version is saved. Documents already captured keep the version they were written on.",
	"background": "The background is stored for this version. PDFs of its documents made from now on are drawn over it.",
}

// handleFormShow serves GET /forms/{id} and GET /forms/{id}/versions/{v}:
// the form's facts, pages with their addresses, fields, versions and
// background, and the ways to edit it, upload a background, preview it
// and print copies. An earlier version is shown read-only, with a link
// to the latest.
func (s *Server) handleFormShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	fv, err := s.formView(r, v, form)
	if err != nil {
		return err
	}
	page := &view{Title: form.Name, Visit: v, CSRF: v.CSRF, Forms: fv, Notice: formNotices[r.URL.Query().Get("done")]}
	s.render(w, r, http.StatusOK, "form", page)
	return nil
}

// formView gathers what a form's page shows of the version form.
func (s *Server) formView(r *http.Request, v *visit, form *inkform.Form) (*formsView, error) {
	ctx := r.Context()
	latest := form.Version
	if r.PathValue("version") != "" {
		l, err := s.Forms.FindForm(ctx, v.Org.ID, form.ID)
		if err != nil {
			return nil, fmt.Errorf("find latest version: %w", err)
		}
		latest = l.Version
	}
	write := v.User.Role.Can(inkform.PermFormsWrite)
	fv := &formsView{Form: form, Latest: latest, CanWrite: write,
		CanPrint:  s.Printer != nil && (form.Pattern != inkform.PatternUnique || write),
		CanUpload: write && s.Printer != nil && s.Blobs != nil,
		MaxCopies: maxCopies(form), Copies: "1"}
	for n := latest; n >= 1; n-- {
		fv.Versions = append(fv.Versions, n)
	}
	if s.Blobs != nil {
		info, err := s.Blobs.Stat(ctx, inkform.FormBackgroundKey(v.Org.ID, form.ID, form.Version))
		switch inkform.ErrorCode(err) {
		case "":
			fv.Background = info
			fv.BackgroundURL = fmt.Sprintf("/forms/%s/versions/%d/background.pdf?v=%s", url.PathEscape(form.ID), form.Version, backgroundTag(info))
		case inkform.ENOTFOUND:
		default:
			return nil, fmt.Errorf("find background: %w", err)
		}
	}
	return fv, nil
}

// maxCopies is how many copies of the form one print may have: at most
// inkform.MaxPrintCopies, fewer for a form that draws many marks.
func maxCopies(form *inkform.Form) int {
	return max(min(inkform.MaxPrintCopies, inkform.MaxPrintMarks/max(form.PrintMarks(), 1)), 1)
}

// Old reports whether the page shows an earlier version than the latest.
func (f *formsView) Old() bool { return f.Form != nil && f.Form.Version != f.Latest }

// handleFormTemplate serves GET /forms/{id}/versions/{v}/template.json:
// the version's template as the editor shows it, to download and keep
// (in version control, say) or send to the API.
func (s *Server) handleFormTemplate(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	text, err := templateText(form)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-v%d.json"`, form.ID, form.Version))
	_, _ = io.WriteString(w, text)
	return nil
}

// templateText is a form version's template as indented JSON, page
// addresses included.
func templateText(form *inkform.Form) (string, error) {
	text, err := json.MarshalIndent(&form.FormTemplate, "", "  ")
	if err != nil {
		return "", fmt.Errorf("show template: %w", err)
	}
	return string(text) + "\n", nil
}
