package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// verifierValues decodes and checks a person's values. A value that breaks
// a rule is a problem, except an empty one: clearing a required field is
// kept (its FieldValue says so) and approval refuses it later.
func verifierValues(t *inkform.FormTemplate, raw map[string]json.RawMessage) (map[string]inkform.FieldValue, []inkform.Problem) {
	values := make(map[string]inkform.FieldValue, len(raw))
	var problems []inkform.Problem
	for _, name := range slices.Sorted(maps.Keys(raw)) {
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
		fv, rule := personValue(f, v)
		problems = append(problems, rule...)
		values[name] = fv
	}
	return values, problems
}

// personValue is the value a person set, with the problems of the rules it
// breaks when it is not empty.
func personValue(f *inkform.Field, v any) (inkform.FieldValue, []inkform.Problem) {
	fv := inkform.FieldValue{Value: v, Confidence: 1, Source: inkform.SourceVerifier, Problems: []string{}}
	var problems []inkform.Problem
	for _, p := range f.Check(v) {
		if inkform.IsEmpty(v) {
			fv.Problems = append(fv.Problems, p) // only "is required": kept, approval refuses it
			continue
		}
		problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: p})
	}
	fv.Valid = len(fv.Problems) == 0
	return fv, problems
}

// A person may accept a signature or drawing that is there, never invent
// one: true for such a field needs ink assigned to it. Ink is assigned by
// ink.Assign with its defaults, the rules the cutouts show, so "there is
// ink" means "the cutout shows ink". Ink is only ever added to a document
// while it lives, so a check made before a write cannot go stale.

// claimsInk reports whether any of the values says a field that takes ink
// is signed or drawn, so the document's ink is read only when it matters.
func claimsInk(form *inkform.Form, values map[string]any) bool {
	for name, v := range values {
		if f := form.Field(name); f != nil && f.TakesInk() && v == true {
			return true
		}
	}
	return false
}

// inkedFields returns the names of the form's fields that the document has
// ink assigned to. A document without ink (a digital one sent without
// strokes) has none.
func (s *Service) inkedFields(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form) (map[string]bool, error) {
	di, err := s.Documents.FindDocumentInk(ctx, org, doc.ID)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		return map[string]bool{}, nil
	case err != nil:
		return nil, fmt.Errorf("find ink: %w", err)
	}
	a := ink.Assign(form, doc, di, ink.DefaultEdgeTolerance, ink.DefaultMinShare)
	inked := make(map[string]bool, len(form.Fields))
	for i := range form.Fields {
		if len(a.FieldInk[i]) > 0 {
			inked[form.Fields[i].Name] = true
		}
	}
	return inked, nil
}

// unfoundInk returns, by field name, the problem (Field.CheckInk) of each
// value that says a field is signed or drawn while the document has no ink
// in its box.
func (s *Service) unfoundInk(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form, values map[string]any) (map[string]string, error) {
	if !claimsInk(form, values) {
		return nil, nil
	}
	inked, err := s.inkedFields(ctx, org, doc, form)
	if err != nil {
		return nil, err
	}
	problems := map[string]string{}
	for name, v := range values {
		if f := form.Field(name); f != nil {
			if p := f.CheckInk(v, inked[name]); p != "" {
				problems[name] = p
			}
		}
	}
	return problems, nil
}

// checkCorrections adds to problems the values that claim ink the document
// lacks and returns them sorted by field, or nil when there are none.
func (s *Service) checkCorrections(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form,
	values map[string]inkform.FieldValue, problems []inkform.Problem) ([]inkform.Problem, error) {
	claims := make(map[string]any, len(values))
	for name, fv := range values {
		claims[name] = fv.Value
	}
	unfound, err := s.unfoundInk(ctx, org, doc, form, claims)
	if err != nil {
		return nil, err
	}
	for name := range unfound {
		problems = append(problems, inkform.Problem{Path: "fields." + name,
			Message: "cannot be true: the document has no ink in this field's box (a verifier may accept ink that is there, or set false)"})
	}
	slices.SortStableFunc(problems, func(a, b inkform.Problem) int { return strings.Compare(a.Path, b.Path) })
	return problems, nil
}
