package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/inkform/inkform"
)

// backgroundAnswer is the answer to PUT /api/v1/forms/{id}/background.
type backgroundAnswer struct {
	Form    string `json:"form"`
	Version int    `json:"version"`
	Size    int    `json:"size"`
	SHA256  string `json:"sha256"`
}

// handleFormBackgroundPut answers PUT /api/v1/forms/{id}/background: the
// body is a PDF with one page per page of the form's latest version, each
// of the template's size (422 otherwise). It is checked, rewritten in the
// plain form the PDF renderer imports, and stored for that version; PDFs
// of its documents made from then on use it instead of the drawn form.
func (s *Server) handleFormBackgroundPut(w http.ResponseWriter, r *http.Request) error {
	if s.Blobs == nil || s.Printer == nil {
		return errNoBlobs()
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	mt, err := mediaType(r)
	if err != nil {
		return err
	}
	if mt != "application/pdf" {
		return inkform.Errorf(inkform.EUNSUPPORTED, "a background must be sent as application/pdf, not %q", mt)
	}
	ctx := r.Context()
	// The form is looked up before the body is read, so another org's
	// form ID costs no upload processing.
	form, err := s.Forms.FindForm(ctx, org, id)
	if err != nil {
		return err
	}
	data, err := readBody(w, r, inkform.MaxBackgroundBytes)
	if err != nil {
		return err
	}
	norm, err := s.Printer.NormalizeBackground(data, form)
	if err != nil {
		return err
	}
	key := inkform.FormBackgroundKey(org, form.ID, form.Version)
	if err := s.Blobs.Put(ctx, key, bytes.NewReader(norm), int64(len(norm)), "application/pdf"); err != nil {
		return err
	}
	sum := sha256.Sum256(norm)
	return writeJSON(w, http.StatusOK, backgroundAnswer{
		Form: form.ID, Version: form.Version, Size: len(norm), SHA256: hex.EncodeToString(sum[:]),
	})
}
