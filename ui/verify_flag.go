package ui

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// maxFlagReason bounds a flag's reason: a sentence or two for whoever
// looks at the document next.
const maxFlagReason = 500

// flagRequest is the station script's flag.
type flagRequest struct {
	Reason string `json:"reason"`
}

// handleVerifyFlag serves POST /verify/documents/{id}/flag: the person
// cannot verify the document (the writer struck out a page, the wrong
// form was used …) and sets it aside with a reason, recorded in its
// history for whoever looks next, then gets the next document of the
// form (not this one again: Flag ends the lease, and LeaseNext may hand
// it to someone else). JSON in and out for the script; a form posting
// reason answers 303, as approval does.
func (s *Server) handleVerifyFlag(w http.ResponseWriter, r *http.Request, v *visit) error {
	asJSON := isJSON(r)
	reason := r.PostFormValue("reason")
	if asJSON {
		var req flagRequest
		if !readJSON(w, r, &req) {
			return nil
		}
		reason = req.Reason
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxFlagReason {
		err := &inkform.Error{Code: inkform.EUNPROCESSABLE, Message: "say why the document is set aside",
			Problems: []inkform.Problem{{Path: "reason", Message: "must be 1 to 500 characters"}}}
		return s.stationRefusal(w, r, v, nil, nil, err)
	}
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if err != nil {
		return s.stationRefusal(w, r, v, nil, nil, err)
	}
	if err := s.Verification.Flag(ctx, v.Org.ID, doc.ID, v.User.ID, reason); err != nil {
		return s.stationRefusal(w, r, v, nil, nil, err)
	}
	s.auditChange(r, v, inkform.AuditDocumentUpdate, doc.ID, "flagged: "+reason)
	next, err := s.nextAfterFlag(r, v, doc)
	if err != nil {
		return err
	}
	if asJSON {
		writeJSON(w, http.StatusOK, stationAnswer{Next: next, Notice: "The document is set aside."})
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// nextAfterFlag leases the next document of the form after one the
// person flagged. A flagged document keeps waiting, so LeaseNext may hand
// it straight back to the person who set it aside; then the one after it
// is leased instead, or the queues answer.
func (s *Server) nextAfterFlag(r *http.Request, v *visit, flagged *inkform.Document) (string, error) {
	ctx := r.Context()
	exp := s.now().Add(inkform.DefaultLeaseTTL)
	lease, err := s.Leases.LeaseNext(ctx, v.Org.ID, flagged.FormID, v.User.ID, exp)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		return "/verify?done=" + flagged.FormID, nil
	case err != nil:
		return "", err
	case lease.DocumentID != flagged.ID:
		return stationURL(lease.DocumentID), nil
	}
	if err := s.Leases.ReleaseLease(ctx, v.Org.ID, flagged.ID, v.User.ID); err != nil {
		return "", err
	}
	filter := inkform.DocumentFilter{FormID: flagged.FormID, Status: inkform.StatusNeedsVerification, After: flagged.ID, Limit: 20}
	docs, _, err := s.Documents.ListDocuments(ctx, v.Org.ID, filter)
	if err != nil {
		return "", err
	}
	for _, d := range docs {
		_, err := s.Leases.LeaseDocument(ctx, v.Org.ID, d.ID, v.User.ID, exp)
		switch inkform.ErrorCode(err) {
		case "":
			return stationURL(d.ID), nil
		case inkform.ECONFLICT, inkform.EUNPROCESSABLE:
			continue
		default:
			return "", err
		}
	}
	return "/verify?done=" + flagged.FormID, nil
}
