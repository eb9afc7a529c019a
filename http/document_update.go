package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// documentUpdateRequest is the body of PATCH /api/v1/documents/{id}.
type documentUpdateRequest struct {
	Fields map[string]json.RawMessage `json:"fields"`
}

// handleDocumentUpdate answers PATCH /api/v1/documents/{id}: a verifier
// sets field values. Each value is checked against the field's type and
// rules; a value that breaks a rule is refused (422 naming every problem),
// so stored corrections are always valid. A signature or drawing may be set
// to false, or to true only where the document has ink in its box: a
// verifier accepts ink that is there, never invents it. Clearing a required
// field is allowed: approval refuses it later. Fields not named keep their
// values.
func (s *Server) handleDocumentUpdate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req documentUpdateRequest
	if err := decodeJSON(w, r, s.bodyLimit(), &req, true); err != nil {
		return err
	}
	if len(req.Fields) == 0 {
		return inkform.Errorf(inkform.EINVALID, `the body needs "fields" with at least one field`)
	}
	doc, err := s.Documents.FindDocument(r.Context(), org, id)
	if err != nil {
		return err
	}
	form, err := s.Forms.FindFormVersion(r.Context(), org, doc.FormID, doc.FormVersion)
	if err != nil {
		return err
	}
	values, problems := verifierValues(&form.FormTemplate, req.Fields)
	claims := make(map[string]any, len(values))
	for name, fv := range values {
		claims[name] = fv.Value
	}
	unfound, err := s.unfoundInk(r.Context(), org, doc, form, claims)
	if err != nil {
		return err
	}
	for name := range unfound {
		problems = append(problems, inkform.Problem{Path: "fields." + name,
			Message: "cannot be true: the document has no ink in this field's box (a verifier may accept ink that is there, or set false)"})
	}
	if len(problems) > 0 {
		// Sorted by field, as verifierValues lists its problems.
		slices.SortStableFunc(problems, func(a, b inkform.Problem) int { return strings.Compare(a.Path, b.Path) })
		return valuesError(problems)
	}
	doc, err = s.Updater.UpdateFields(r.Context(), org, id, values, principalID(r), "verifier "+principalName(r)+" set "+strings.Join(sortedKeys(values), ", "))
	if err != nil {
		return err
	}
	// Field names only: the audit log never holds values.
	s.auditChange(r, inkform.AuditDocumentUpdate, "document", id, "set "+strings.Join(sortedKeys(values), ", "))
	return writeJSON(w, http.StatusOK, doc)
}

// verifierValues decodes and checks a verifier's values.
func verifierValues(t *inkform.FormTemplate, raw map[string]json.RawMessage) (map[string]inkform.FieldValue, []inkform.Problem) {
	values := make(map[string]inkform.FieldValue, len(raw))
	var problems []inkform.Problem
	for _, name := range sortedKeys(raw) {
		f := t.Field(name)
		if f == nil {
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: "is not a field of this form"})
			continue
		}
		v, err := f.DecodeValue(raw[name])
		if err != nil {
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: strings.TrimPrefix(inkform.ErrorMessage(err), name+": ")})
			continue
		}
		fv := inkform.FieldValue{Value: v, Confidence: 1, Source: inkform.SourceVerifier, Problems: []string{}}
		for _, p := range f.Check(v) {
			if inkform.IsEmpty(v) {
				fv.Problems = append(fv.Problems, p) // only "is required": kept, approval refuses it
				continue
			}
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: p})
		}
		fv.Valid = len(fv.Problems) == 0
		values[name] = fv
	}
	return values, problems
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// principalName names the caller in status-change causes: the token or user
// ID, never a secret.
func principalName(r *http.Request) string {
	p := inkform.PrincipalFromContext(r.Context())
	switch {
	case p == nil:
		return "unknown"
	case p.UserID != "":
		return fmt.Sprintf("user %s", p.UserID)
	}
	return fmt.Sprintf("token %s", p.TokenID)
}

// principalID is the caller's user or token ID: the actor the verification
// workflow records in leases, entries and field history.
func principalID(r *http.Request) string {
	p := inkform.PrincipalFromContext(r.Context())
	switch {
	case p == nil:
		return "unknown"
	case p.UserID != "":
		return p.UserID
	}
	return p.TokenID
}
