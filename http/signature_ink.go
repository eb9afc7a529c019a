package http

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// A verifier may accept a signature or drawing that is there, never invent
// one: true for such a field needs ink assigned to it. Ink is assigned by
// ink.Assign with its defaults, the rules the verifier's cutouts show, so
// "there is ink" means "the cutout shows ink". Ink is only ever added to a
// document while it lives, so a check made before a write cannot go stale.

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
func (s *Server) inkedFields(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form) (map[string]bool, error) {
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
func (s *Server) unfoundInk(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form, values map[string]any) (map[string]string, error) {
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
