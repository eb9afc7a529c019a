package ui

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/inkform/inkform"
)

// handleFormBackground serves POST /forms/{id}/background, a multipart
// upload of a PDF for the form's latest version, as PUT
// /api/v1/forms/{id}/background takes it: at most
// inkform.MaxBackgroundBytes, one page of the right size per form page
// (inkform.FormPrinter.NormalizeBackground checks and rewrites it), kept
// under inkform.FormBackgroundKey. What is wrong is said beside the upload
// form (413, 422); a stored background is audited (form.update).
func (s *Server) handleFormBackground(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Printer == nil || s.Blobs == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "Backgrounds are not set up on this server.")
		return nil
	}
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	again := func(status int, msg string) error {
		return s.formProblem(w, r, v, form, status, "background", msg)
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["background"]) == 0 {
		return again(http.StatusUnprocessableEntity, "Choose a PDF file to upload.")
	}
	fh := r.MultipartForm.File["background"][0]
	if fh.Size > inkform.MaxBackgroundBytes {
		return again(http.StatusRequestEntityTooLarge, fmt.Sprintf("The file has %d bytes; a background has at most %d (20 MB). Export the PDF smaller (images at print resolution, fonts subset).", fh.Size, inkform.MaxBackgroundBytes))
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, inkform.MaxBackgroundBytes+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	norm, err := s.Printer.NormalizeBackground(data, form)
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.EUNPROCESSABLE, inkform.EINVALID, inkform.EUNSUPPORTED:
		return again(http.StatusUnprocessableEntity, "The file is not a background for this form: "+inkform.ErrorMessage(err))
	case inkform.ETOOLARGE:
		return again(http.StatusRequestEntityTooLarge, "The file is too large once unpacked: "+inkform.ErrorMessage(err))
	default:
		return fmt.Errorf("check background: %w", err)
	}
	key := inkform.FormBackgroundKey(v.Org.ID, form.ID, form.Version)
	if err := s.Blobs.Put(r.Context(), key, bytes.NewReader(norm), int64(len(norm)), "application/pdf"); err != nil {
		return fmt.Errorf("store background: %w", err)
	}
	s.auditForm(r, v, form.ID, fmt.Sprintf("version %d: background uploaded (%d bytes)", form.Version, len(norm)))
	http.Redirect(w, r, formLink(form.ID)+"?done=background#background", http.StatusSeeOther)
	return nil
}

// formProblem shows the form's page again with msg beside the form at
// ("background" or "print").
func (s *Server) formProblem(w http.ResponseWriter, r *http.Request, v *visit, form *inkform.Form, status int, at, msg string) error {
	fv, err := s.formView(r, v, form)
	if err != nil {
		return err
	}
	fv.ErrorAt = at
	if at == "print" {
		fv.Copies = r.PostFormValue("copies")
	}
	s.render(w, r, status, "form", &view{Title: form.Name, Visit: v, CSRF: v.CSRF, Forms: fv, Error: msg})
	return nil
}
