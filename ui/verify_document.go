package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/inkform/inkform"
)

// handleVerifyDocument serves GET /verify/documents/{id}: the station on
// one document, leased to the person while the page is open. A document
// someone else holds is not shown, so two people never correct the same
// one; one that no longer needs verification is shown to read.
func (s *Server) handleVerifyDocument(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted.")
		return nil
	} else if err != nil {
		return err
	}
	if doc.Status == inkform.StatusNeedsVerification {
		_, err = s.Leases.LeaseDocument(ctx, v.Org.ID, id, v.User.ID, s.now().Add(inkform.DefaultLeaseTTL))
		switch inkform.ErrorCode(err) {
		case "":
		case inkform.ECONFLICT:
			s.taken(w, r, v)
			return nil
		case inkform.EUNPROCESSABLE:
			// Approved or flagged since it was read: show it to read.
			if doc, err = s.Documents.FindDocument(ctx, v.Org.ID, id); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return s.showStation(w, r, v, doc, http.StatusOK, nil, nil)
}

// showStation renders the station on a document, with problems (from a
// refused save) shown on their fields and the inputs as the person left
// them (typed).
func (s *Server) showStation(w http.ResponseWriter, r *http.Request, v *visit, doc *inkform.Document, status int, problems []inkform.Problem, typed url.Values) error {
	st, err := s.buildStation(r.Context(), v, doc)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, v, doc.ID, "station"); err != nil {
		return err
	}
	refill(st, typed)
	if len(problems) > 0 {
		st.Problem = "The document was not approved. Correct the fields marked below and try again."
		applyProblems(st, problems)
	}
	s.render(w, r, status, "station", &view{Title: st.Form.Name + " · Verification", Visit: v, CSRF: v.CSRF, Station: st})
	return nil
}

// taken answers a document someone else is working on. It names nobody:
// who verifies what is not every verifier's business.
func (s *Server) taken(w http.ResponseWriter, r *http.Request, v *visit) {
	page := &view{Title: "Document taken", Visit: v, CSRF: v.CSRF, Back: "/verify",
		Error: "Another person is verifying this document just now. Start again from the queues to get one nobody is working on."}
	s.render(w, r, http.StatusConflict, "error", page)
}

// applyProblems puts a refusal's problems on the fields they name
// ("fields.patient_no", as the API names them); others go on top.
func applyProblems(st *stationView, problems []inkform.Problem) {
	for _, p := range problems {
		placed := false
		for i := range st.Fields {
			if p.Path == "fields."+st.Fields[i].Name || p.Path == st.Fields[i].Name {
				st.Fields[i].Problems = append(st.Fields[i].Problems, p.Message)
				st.Fields[i].Doubtful = true
				placed = true
			}
		}
		if !placed {
			st.Problem += " " + p.Message
		}
	}
	for _, f := range st.Fields {
		if len(f.Problems) > 0 && f.Editable {
			st.Current = f.Name
			break
		}
	}
	for i := range st.Pages {
		pg := &st.Pages[i]
		pg.Current = false
		for j := range pg.Boxes {
			pg.Boxes[j].Current = pg.Boxes[j].Field == st.Current
			pg.Current = pg.Current || pg.Boxes[j].Current
		}
	}
}

// refill puts what a person typed back into the inputs of a page shown
// again after a refused save.
func refill(st *stationView, typed url.Values) {
	for i := range st.Fields {
		f := &st.Fields[i]
		vals := typed[f.Input]
		if len(vals) == 0 {
			continue
		}
		switch f.Type {
		case inkform.FieldCheckbox:
			f.Checked = vals[len(vals)-1] == "true"
		case inkform.FieldChoice:
			for j := range f.Options {
				f.Options[j].Chosen = slices.Contains(vals, f.Options[j].Value)
			}
		default:
			f.Value = vals[len(vals)-1]
		}
	}
}
