package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleVerifyRenew serves POST /verify/documents/{id}/lease: the open
// station renews its lease every half minute, so the document stays the
// person's while the page is open and frees itself soon after a laptop
// is closed. 204, or 409 when the lease is gone (expired and taken).
func (s *Server) handleVerifyRenew(w http.ResponseWriter, r *http.Request, v *visit) error {
	err := s.Leases.RenewLease(r.Context(), v.Org.ID, r.PathValue("id"), v.User.ID, s.now().Add(inkform.DefaultLeaseTTL))
	switch inkform.ErrorCode(err) {
	case "":
		w.WriteHeader(http.StatusNoContent)
	case inkform.ECONFLICT, inkform.ENOTFOUND, inkform.EUNPROCESSABLE:
		writeJSON(w, http.StatusConflict, stationAnswer{Message: "Your hold on this document ran out and someone else may have it. Start again from the queues."})
	default:
		return err
	}
	return nil
}

// handleVerifyRelease serves POST /verify/documents/{id}/release, which
// the station sends (navigator.sendBeacon, the token in the body) as the
// person leaves the page, so the document is free at once rather than
// when the lease runs out.
func (s *Server) handleVerifyRelease(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.Leases.ReleaseLease(r.Context(), v.Org.ID, r.PathValue("id"), v.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
