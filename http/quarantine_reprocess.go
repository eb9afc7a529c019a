package http

import (
	"net/http"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// handleQuarantineReprocess answers POST /api/v1/quarantine/{id}/reprocess:
// once the missing form exists, the stored body is parsed again and
// captured as if it had just arrived (202, same body as POST /api/v1/ink),
// keeping the time the pen's ink first arrived
// (inkform.ReprocessQuarantined, which the console uses too). An address
// that is still unknown leaves the entry in place (422).
func (s *Server) handleQuarantineReprocess(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, err := inkform.ReprocessQuarantined(r.Context(), s.Quarantine, inkml.Parser{Limits: s.Limits}, org, id)
	if err != nil {
		return err
	}
	return writeCaptureResult(w, res)
}
