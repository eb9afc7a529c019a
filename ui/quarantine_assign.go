package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// handleQuarantineAssignShow serves GET /quarantine/{id}/assign?address=:
// the pages of the org's forms that the address could be given to.
func (s *Server) handleQuarantineAssignShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.assignPage(w, r, v, http.StatusOK, r.URL.Query().Get("address"), "")
}

// assignPage shows the assign page, with msg as an error when not "".
func (s *Server) assignPage(w http.ResponseWriter, r *http.Request, v *visit, status int, address, msg string) error {
	ctx := r.Context()
	entry, _, err := s.Quarantine.FindQuarantined(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such quarantined ink. It may have been deleted or processed already.")
		return nil
	} else if err != nil {
		return err
	}
	if !slices.Contains(entry.Addresses, address) {
		address = entry.Addresses[0]
	}
	_, forms, err := s.formNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	qv := &quarantineView{Entry: entry, Address: address}
	for _, f := range forms {
		if f.Pattern != inkform.PatternCopied {
			continue // a unique-pattern form's addresses belong to its printed copies
		}
		for p := 1; p <= f.Pages; p++ {
			qv.Targets = append(qv.Targets, optionView{Value: f.ID + "/" + strconv.Itoa(p),
				Label: fmt.Sprintf("%s (version %d), page %d", f.Name, f.Version, p)})
		}
	}
	s.render(w, r, status, "quarantine_assign", &view{Title: "Assign a page address", Visit: v, CSRF: v.CSRF, Error: msg, Quarantine: qv})
	return nil
}

// handleQuarantineAssign serves POST /quarantine/{id}/assign: the
// address becomes the chosen page's address in a new version of the form
// (the page's old address is freed, as when the form is edited), then
// the ink is processed again (inkform.ReprocessQuarantined) and its
// document appears. An address another form has, or ink that still
// names another unknown address, is said on the page; the new version
// stays, and the entry waits for its other address.
func (s *Server) handleQuarantineAssign(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id, address := r.PathValue("id"), r.PostFormValue("address")
	entry, _, err := s.Quarantine.FindQuarantined(ctx, v.Org.ID, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such quarantined ink. It may have been deleted or processed already.")
		return nil
	} else if err != nil {
		return err
	}
	if !slices.Contains(entry.Addresses, address) {
		return s.assignPage(w, r, v, http.StatusUnprocessableEntity, address, "Choose one of the ink's unknown addresses.")
	}
	formID, pageText, _ := strings.Cut(r.PostFormValue("target"), "/")
	pageNo, _ := strconv.Atoi(pageText)
	form, err := s.Forms.FindForm(ctx, v.Org.ID, formID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND || err == nil && (form.Pattern != inkform.PatternCopied || pageNo < 1 || pageNo > len(form.Pages)) {
		return s.assignPage(w, r, v, http.StatusUnprocessableEntity, address, "Choose a page of one of the forms listed.")
	} else if err != nil {
		return err
	}
	if form.Pages[pageNo-1].Address != address {
		tpl := form.FormTemplate
		tpl.Pages = slices.Clone(form.Pages)
		old := tpl.Pages[pageNo-1].Address
		tpl.Pages[pageNo-1].Address = address
		updated, err := s.Forms.UpdateForm(ctx, v.Org.ID, form.ID, &tpl)
		if code := inkform.ErrorCode(err); code == inkform.ECONFLICT || code == inkform.EUNPROCESSABLE || code == inkform.EINVALID {
			return s.assignPage(w, r, v, http.StatusConflict, address, inkform.ErrorMessage(err))
		} else if err != nil {
			return fmt.Errorf("assign address: %w", err)
		}
		s.auditForm(r, v, form.ID, fmt.Sprintf("version %d: page %d address %s (was %s), from quarantine", updated.Version, pageNo, address, old))
	}
	_, err = inkform.ReprocessQuarantined(ctx, s.Quarantine, s.InkParser, v.Org.ID, id)
	switch inkform.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/quarantine?done=assigned", http.StatusSeeOther)
		return nil
	case inkform.EUNPROCESSABLE, inkform.EINVALID, inkform.ETOOLARGE, inkform.ECONFLICT:
		return s.assignPage(w, r, v, http.StatusUnprocessableEntity, address,
			"The address is assigned, but the ink cannot be processed yet: "+inkform.ErrorMessage(err))
	}
	return fmt.Errorf("reprocess quarantined ink: %w", err)
}
