package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
	"github.com/inkform/inkform/inkml"
)

// submissionRequest is the body of POST /api/v1/forms/{id}/submissions.
// Values stay raw until the form says what type each field has; so does
// the submission ID, whose bytes are checked before decoding would turn
// invalid UTF-8 into U+FFFD.
type submissionRequest struct {
	Fields       map[string]json.RawMessage `json:"fields"`
	SubmissionID json.RawMessage            `json:"submissionId,omitempty"`
}

// handleSubmissionCreate answers POST /api/v1/forms/{id}/submissions: a
// form filled on a tablet or in a browser. Every value is decoded against
// its field's type and every problem is reported at once (422), so a client
// can mark all wrong inputs in one round trip. Signature and drawing fields
// take {"strokes": [...]} in millimetres relative to the field's box. The
// answer is 201 with the document; a replay (the same Idempotency-Key or
// submissionId and content) gets 201 with the document as it is now and
// Idempotent-Replayed: true, and the same key with other content is 409.
func (s *Server) handleSubmissionCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req submissionRequest
	if err := decodeJSON(w, r, s.bodyLimit(), &req, true); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	bodyID, err := submissionID(req.SubmissionID)
	if err != nil {
		return err
	}
	if key != "" && bodyID != "" && key != bodyID {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "the Idempotency-Key header and submissionId differ")
		e.Problems = []inkform.Problem{{Path: "submissionId", Message: "differs from the Idempotency-Key header"}}
		return e
	}
	if key != "" {
		bodyID = key
	}

	form, err := s.Forms.FindForm(r.Context(), org, id)
	if err != nil {
		return err
	}
	sub, problems := decodeSubmission(&form.FormTemplate, req.Fields, s.Limits)
	if len(problems) > 0 {
		return valuesError(withRuleProblems(&form.FormTemplate, sub, problems))
	}
	sub.FormID = form.ID
	sub.SubmissionID = bodyID

	doc, replayed, err := s.Capture.SubmitDigital(r.Context(), org, sub)
	if err != nil {
		return err
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/documents/"+doc.ID)
	return writeJSON(w, http.StatusCreated, doc)
}

// submissionID decodes the body's submissionId ("" when absent or null)
// under the rules of the Idempotency-Key header: 1–200 bytes of UTF-8
// without control characters, else 400.
func submissionID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if !utf8.Valid(raw) {
		return "", idError("the submissionId is not valid UTF-8")
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", idError("the submissionId must be a JSON string")
	}
	if id == "" {
		return "", nil
	}
	if msg := inkform.ClientIDProblem("submissionId", id, inkform.MaxSubmissionIDLength); msg != "" {
		return "", idError(msg)
	}
	return id, nil
}

func idError(msg string) error {
	e := inkform.Errorf(inkform.EINVALID, "%s", msg)
	e.Problems = []inkform.Problem{{Path: "submissionId", Message: msg}}
	return e
}

// decodeSubmission turns raw field values into typed values and ink,
// collecting a problem for each field it cannot use instead of stopping at
// the first. Rules (required, ranges, patterns) are the capture service's
// business; this only checks that each value fits its field.
func decodeSubmission(t *inkform.FormTemplate, fields map[string]json.RawMessage, lim inkml.Limits) (*inkform.DigitalSubmission, []inkform.Problem) {
	sub := &inkform.DigitalSubmission{
		Values: make(map[string]any, len(fields)),
		Ink:    make(map[string][]inkform.Stroke),
	}
	var problems []inkform.Problem
	add := func(name, msg string) {
		problems = append(problems, inkform.Problem{Path: "fields." + name, Message: msg})
	}
	// Sorted, so the problem list is the same on every run.
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)

	for _, name := range names {
		raw := fields[name]
		f := t.Field(name)
		if f == nil {
			add(name, "is not a field of this form")
			continue
		}
		if f.TakesInk() && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			strokes, err := inkml.DecodeStrokes(raw, lim)
			if err != nil {
				add(name, inkform.ErrorMessage(err))
				continue
			}
			if msg := strokesOutside(f, strokes); msg != "" {
				add(name, msg)
				continue
			}
			sub.Ink[name] = strokes
			continue
		}
		v, err := f.DecodeValue(raw)
		if err != nil {
			// DecodeValue prefixes its message with the field name,
			// which the problem's path already gives.
			add(name, strings.TrimPrefix(inkform.ErrorMessage(err), name+": "))
			continue
		}
		if f.TakesInk() && v == true {
			add(name, f.PresenceNeedsInk())
			continue
		}
		sub.Values[name] = v
	}
	return sub, problems
}

// withRuleProblems adds to the problems of fields that could not be decoded
// those the form's rules find in the rest (a required field missing, a
// pattern not met), so one answer names everything wrong rather than the
// next try revealing more. A field with a decoding problem is not judged
// again.
func withRuleProblems(t *inkform.FormTemplate, sub *inkform.DigitalSubmission, problems []inkform.Problem) []inkform.Problem {
	seen := make(map[string]bool, len(problems))
	for _, p := range problems {
		seen[p.Path] = true
	}
	_, err := t.DigitalFields(sub)
	for _, p := range inkform.ErrorProblems(err) {
		if !seen[p.Path] {
			problems = append(problems, p)
		}
	}
	slices.SortStableFunc(problems, func(a, b inkform.Problem) int { return strings.Compare(a.Path, b.Path) })
	return problems
}

// strokesOutside names the strokes of a field's ink that have no ink at all
// within the edge tolerance of its box: coordinates in the wrong system
// (page instead of box, pixels instead of millimetres), which would be
// stored off the box and could never sign it. Strokes that leave the box
// in part are accepted; interpretation counts what lies inside.
func strokesOutside(f *inkform.Field, strokes []inkform.Stroke) string {
	if f.Box == nil {
		return ""
	}
	box := ink.Expand(inkform.Box{W: f.Box.W, H: f.Box.H}, ink.DefaultEdgeTolerance)
	var out []string
	n := 0
	for i := range strokes {
		if ink.ShareInside(&strokes[i], box) > 0 {
			continue
		}
		// A few named are enough to find the mistake.
		if n++; n <= 3 {
			out = append(out, fmt.Sprintf("strokes[%d]", i))
		}
	}
	if n == 0 {
		return ""
	}
	which, verb := strings.Join(out, ", "), "lie"
	switch {
	case n == 1:
		verb = "lies"
	case n > len(out):
		which += fmt.Sprintf(" and %d more", n-len(out))
	}
	return fmt.Sprintf("%s %s outside the %g × %g mm box, with no ink within %g mm of it (points are millimetres from the box's top-left corner)",
		which, verb, f.Box.W, f.Box.H, ink.DefaultEdgeTolerance)
}
