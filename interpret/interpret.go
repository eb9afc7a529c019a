// Package interpret turns a document's ink into field values: it assigns
// strokes to the form's fields, decides whether checkboxes are ticked and
// signatures present, sends handwriting to a Recognizer, validates every
// value with the template's rules and decides whether the document is
// validated or needs a person to verify it.
//
// Interpretation is a pure function of the form, the document and its ink:
// running it again on the same input gives the same result, so the
// interpret job can be retried and re-run when ink is added.
package interpret

import (
	"context"
	"errors"
	"fmt"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// Result is the interpretation of a document.
type Result struct {
	// Fields has an entry for every field of the form, also for fields
	// without ink, each with its value, confidence, source and validation.
	Fields map[string]inkform.FieldValue
	// Status is StatusValidated or StatusNeedsVerification.
	Status inkform.DocumentStatus
	// Reasons says why the document needs verification, one line per
	// field and cause ("age: is greater than 120"), in template order;
	// empty when validated. It becomes the cause of the status change.
	Reasons []string
	// Unassigned is the ink that lies in no field, per page address in the
	// order written. It is kept, not dropped: it may be a note in the
	// margin, or show that a template's boxes are misplaced.
	Unassigned []inkform.PageInk
	// FieldInk holds the strokes assigned to each field with ink (for a
	// choice, the ink of all its boxes), in page coordinates. Cutouts
	// show the same strokes: both assign them with ink.Assign.
	//
	// The strokes of FieldInk and Unassigned share their points with the
	// DocumentInk passed in; copy before modifying either.
	FieldInk map[string][]inkform.Stroke
}

// Interpreter interprets documents. The zero value works: it uses
// inkform.UnknownRecognizer (every handwritten field goes to verification)
// and the default Options. An Interpreter holds no state between calls and
// is safe for concurrent use if its Recognizer is.
type Interpreter struct {
	Recognizer inkform.Recognizer
	Options    Options
}

// Interpret reads the document's ink (nil for a document without ink) into
// field values and decides the document's status.
//
// Values that a person typed (SourceDigital) or corrected (SourceVerifier)
// in doc.Fields are kept as they are and only validated again: ink never
// overrides a verifier. Values from an earlier interpretation (pen, icr) are
// read again from the ink. Signature and drawing fields are read from the
// ink in their box even in a digital document: only a verifier's value
// stands beside it, and a verifier's true without ink in the box is a
// problem (Field.CheckInk), so the document needs verification.
//
// A recognizer error (a remote engine down) or a cancelled ctx is returned,
// so the job is retried; nothing is half-interpreted.
func (in *Interpreter) Interpret(ctx context.Context, form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk) (*Result, error) {
	if form == nil || doc == nil {
		return nil, errors.New("interpret: form and document are required")
	}
	if doc.FormID != "" && form.ID != "" && (doc.FormID != form.ID || (doc.FormVersion != 0 && form.Version != 0 && doc.FormVersion != form.Version)) {
		return nil, fmt.Errorf("interpret: document %s is of form %s version %d, not %s version %d",
			doc.ID, doc.FormID, doc.FormVersion, form.ID, form.Version)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := in.Options.withDefaults()
	rec := in.Recognizer
	if rec == nil {
		rec = inkform.UnknownRecognizer{}
	}
	if err := checkPages(doc); err != nil {
		return nil, fmt.Errorf("interpret: %w", err)
	}
	a := ink.Assign(form, doc, di, o.EdgeTolerance, o.MinShare)
	targetsOf := make([][]int, len(form.Fields))
	for t := range a.Targets {
		f := a.Targets[t].Field
		targetsOf[f] = append(targetsOf[f], t)
	}

	res := &Result{
		Fields:     make(map[string]inkform.FieldValue, len(form.Fields)),
		Unassigned: a.Unassigned,
		FieldInk:   make(map[string][]inkform.Stroke),
	}
	checks := make([]fieldCheck, len(form.Fields))
	for i := range form.Fields {
		f := &form.Fields[i]
		if len(a.FieldInk[i]) > 0 {
			res.FieldInk[f.Name] = a.FieldInk[i]
		}
		if kept, ok := doc.Fields[f.Name]; ok && keeps(f, kept) {
			res.Fields[f.Name] = kept
			if p := f.CheckInk(kept.Value, len(a.FieldInk[i]) > 0); p != "" {
				checks[i].problems = []string{p}
			}
			continue
		}
		fv, c, err := read(ctx, rec, &o, i, f, a, targetsOf[i])
		if err != nil {
			return nil, fmt.Errorf("interpret document %s: %w", doc.ID, err)
		}
		res.Fields[f.Name] = fv
		checks[i] = c
	}
	res.Status, res.Reasons = validate(form, res.Fields, checks)
	return res, nil
}

// keeps reports whether a field keeps the value a person gave it rather
// than being read from the ink. A digital value of a signature or drawing
// field is not kept: a device sends their ink, and only ink in the box
// signs (documents stored before that rule may hold a bare true).
func keeps(f *inkform.Field, kept inkform.FieldValue) bool {
	switch kept.Source {
	case inkform.SourceVerifier:
		return true
	case inkform.SourceDigital:
		return !f.TakesInk()
	}
	return false
}

// fieldCheck carries what reading a field found beyond its value: problems
// the template's rules cannot see (two ticks in a single choice) and a note
// on why the confidence is low, for the reasons.
type fieldCheck struct {
	problems []string
	note     string
}

// read interprets field i from its ink.
func read(ctx context.Context, rec inkform.Recognizer, o *Options, i int, f *inkform.Field, a *ink.Assignment, targets []int) (inkform.FieldValue, fieldCheck, error) {
	strokes := a.FieldInk[i]
	empty := inkform.FieldValue{Value: false, Confidence: 1, Source: inkform.SourcePen}
	switch f.Type {
	case inkform.FieldCheckbox:
		if f.Box == nil {
			return empty, fieldCheck{}, nil
		}
		m := o.readMark(strokes, *f.Box)
		fv := inkform.FieldValue{Value: m.ticked, Confidence: m.confidence, Source: inkform.SourcePen}
		if m.cancelled {
			return fv, fieldCheck{note: "box scribbled out"}, nil
		}
		return fv, fieldCheck{}, nil
	case inkform.FieldChoice:
		fv, c := o.readChoice(f, a, targets)
		return fv, c, nil
	case inkform.FieldSignature:
		if f.Box == nil {
			return empty, fieldCheck{}, nil
		}
		return o.readSignature(strokes, *f.Box), fieldCheck{}, nil
	case inkform.FieldDrawing:
		if f.Box == nil {
			return empty, fieldCheck{}, nil
		}
		return o.readDrawing(strokes, *f.Box), fieldCheck{}, nil
	case inkform.FieldText, inkform.FieldNumber, inkform.FieldDate:
		fv, err := recognize(ctx, rec, o, f, strokes)
		return fv, fieldCheck{}, err
	}
	// An unknown type passed template validation only in a newer version
	// of the server: leave it empty for a person rather than fail the job.
	return inkform.FieldValue{}, fieldCheck{note: fmt.Sprintf("unknown field type %q", f.Type)}, nil
}

// checkPages refuses a document that gives one address two pages: there is
// no way to tell where that address's ink belongs, and guessing would put
// values in the wrong fields.
func checkPages(doc *inkform.Document) error {
	seen := make(map[string]int, len(doc.Pages))
	for _, p := range doc.Pages {
		if prev, ok := seen[p.Address]; ok && prev != p.Number {
			return fmt.Errorf("document %s: address %s is both page %d and page %d", doc.ID, p.Address, prev, p.Number)
		}
		seen[p.Address] = p.Number
	}
	return nil
}
