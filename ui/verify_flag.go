package ui

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// maxFlagReason bounds a flag's reason: a sentence or two for whoever
// looks at the document next.
const maxFlagReason = 500

// flagger is the part of the workflow that sets a document aside with a
// reason, for someone else to look at (VerificationService.Flag).
type flagger interface {
	Flag(ctx context.Context, orgID, docID, actor, reason string) error
}

// flagRequest is the station script's flag.
type flagRequest struct {
	Reason string `json:"reason"`
}

// handleVerifyFlag serves POST /verify/documents/{id}/flag: the person
// cannot verify the document (the writer struck out a page, the wrong
// form was used …) and sets it aside with a reason, then gets the next
// document of the form. JSON in and out for the script; a form posting
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
	fl, ok := s.Verification.(flagger)
	if !ok {
		return inkform.Errorf(inkform.EUNAVAILABLE, "this server's verification workflow cannot flag documents")
	}
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if err != nil {
		return s.stationRefusal(w, r, v, nil, nil, err)
	}
	if err := fl.Flag(ctx, v.Org.ID, doc.ID, v.User.ID, reason); err != nil {
		return s.stationRefusal(w, r, v, nil, nil, err)
	}
	next, err := s.nextURL(r, v, doc.FormID)
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
