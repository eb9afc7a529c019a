package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// handleTabletSubmit serves POST /f/{form}. Every post carries all the
// form's values; the button pressed (go) says what to do with them:
//
//   - back shows the previous page, judging nothing;
//   - next judges the shown page's fields and moves on only when they
//     are right, else shows them again with the problems at the fields;
//   - submit judges every field and, when all are right, submits the
//     values and ink through CaptureService.SubmitDigital and sends the
//     person to the document (303). The idempotency key of the filling
//     makes a second tap the same submission, which lands on the same
//     document.
func (s *Server) handleTabletSubmit(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.tabletForm(w, r, v)
	if form == nil || err != nil {
		return err
	}
	in := r.PostForm
	key := in.Get("submission")
	if msg := inkform.ClientIDProblem("submission key", key, inkform.MaxSubmissionIDLength); msg != "" {
		s.problem(w, r, v, http.StatusBadRequest, "The form could not be read: "+msg+". Open the form again.")
		return nil
	}
	page, _ := strconv.Atoi(in.Get("page"))
	page = min(max(page, 1), len(form.Pages))
	sub, problems := tabletSubmission(form, in)

	switch in.Get("go") {
	case "back":
		s.showTablet(w, r, v, http.StatusOK, newTabletView(form, in, nil, max(page-1, 1), key), "")
		return nil
	case "next":
		if here := problemsOn(form, problems, page); len(here) > 0 {
			s.showTablet(w, r, v, http.StatusUnprocessableEntity, newTabletView(form, in, here, page, key), "")
			return nil
		}
		s.showTablet(w, r, v, http.StatusOK, newTabletView(form, in, nil, min(page+1, len(form.Pages)), key), "")
		return nil
	}
	if len(problems) > 0 {
		s.showTablet(w, r, v, http.StatusUnprocessableEntity, newTabletView(form, in, problems, firstPage(form, problems), key), "")
		return nil
	}
	sub.SubmissionID = key
	doc, _, err := s.Capture.SubmitDigital(r.Context(), v.Org.ID, sub)
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.EUNPROCESSABLE:
		// The form changed between this check and the store's.
		problems = map[string][]string{}
		for _, p := range inkform.ErrorProblems(err) {
			name := strings.TrimPrefix(p.Path, "fields.")
			problems[name] = append(problems[name], p.Message)
		}
		s.showTablet(w, r, v, http.StatusUnprocessableEntity, newTabletView(form, in, problems, firstPage(form, problems), key), inkform.ErrorMessage(err))
		return nil
	case inkform.ECONFLICT:
		// The key made a document with other values: the person went
		// back after submitting and changed an answer. A new key lets a
		// deliberate second press make a second document.
		s.showTablet(w, r, v, http.StatusConflict, newTabletView(form, in, nil, page, newSubmissionKey()),
			"These answers were already submitted once, with other values. Press Submit again to make a second, separate document.")
		return nil
	default:
		return err
	}
	http.Redirect(w, r, s.doneURL(v, form.ID, doc.ID), http.StatusSeeOther)
	return nil
}

// problemsOn keeps the problems of the fields on one page of the form.
func problemsOn(form *inkform.Form, problems map[string][]string, page int) map[string][]string {
	here := map[string][]string{}
	for name, msgs := range problems {
		if f := form.Field(name); f != nil && f.Page == page {
			here[name] = msgs
		}
	}
	return here
}

// firstPage is the first page with a field that has a problem, 1 when
// none has one (a problem without a field).
func firstPage(form *inkform.Form, problems map[string][]string) int {
	for i := range form.Fields {
		if f := &form.Fields[i]; len(problems[f.Name]) > 0 && f.Page >= 1 && f.Page <= len(form.Pages) {
			return f.Page
		}
	}
	return 1
}

// doneURL is the page of a document the visitor submitted. Its key ties
// it to the session, so a role that reads no documents (a gateway) sees
// the ones it submitted, and only while it stays signed in.
func (s *Server) doneURL(v *visit, formID, docID string) string {
	return "/f/" + url.PathEscape(formID) + "/done/" + url.PathEscape(docID) + "?k=" + doneKey(v, docID)
}

// doneKey is the MAC of a document ID under the session's CSRF token,
// itself a secret of the session.
func doneKey(v *visit, docID string) string { return mac([]byte(v.CSRF), "tablet done\x00"+docID) }
