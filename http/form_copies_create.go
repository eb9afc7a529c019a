package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// MaxCopiesPerRequest bounds POST /api/v1/forms/{id}/copies: each copy
// allocates pattern pages from the org's licensed pool, so a typo must not
// use up thousands of them.
const MaxCopiesPerRequest = 10000

// copiesRequest is the body of POST /api/v1/forms/{id}/copies.
type copiesRequest struct {
	Count int `json:"count"`
}

// copiesResponse is the answer to POST /api/v1/forms/{id}/copies.
type copiesResponse struct {
	Copies []*inkform.Copy `json:"copies"`
}

// handleFormCopiesCreate answers POST /api/v1/forms/{id}/copies: it
// allocates printed copies of a unique-pattern form, each with its own page
// addresses.
func (s *Server) handleFormCopiesCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req copiesRequest
	if err := decodeJSON(w, r, smallBodyLimit, &req, true); err != nil {
		return err
	}
	if req.Count < 1 || req.Count > MaxCopiesPerRequest {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "count must be from 1 to %d, not %d", MaxCopiesPerRequest, req.Count)
		e.Problems = []inkform.Problem{{Path: "count", Message: e.Message}}
		return e
	}
	copies, err := s.Forms.CreateCopies(r.Context(), org, id, req.Count)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, copiesResponse{Copies: copies})
}
