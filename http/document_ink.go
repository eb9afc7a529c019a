package http

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/inkform/inkform/inkml"
)

// handleDocumentInk answers GET /api/v1/documents/{id}/ink with all ink of
// the document as InkML. The document is written to a buffer first, so a
// failure is still a problem response rather than a truncated XML file.
func (s *Server) handleDocumentInk(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ink, err := s.Documents.FindDocumentInk(r.Context(), org, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := inkml.Write(&buf, ink); err != nil {
		return fmt.Errorf("write inkml of document %s: %w", id, err)
	}
	if err := s.auditRead(r, "document", id, "ink"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", mediaInkML)
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.inkml"`)
	_, _ = w.Write(buf.Bytes())
	return nil
}
