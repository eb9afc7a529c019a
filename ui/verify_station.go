package ui

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"

	"github.com/inkform/inkform"
)

// maxAlternatives is how many of the engine's other readings the station
// offers, on keys 1 to 3.
const maxAlternatives = 3

// stationView is one document in the verification station.
type stationView struct {
	Doc       *inkform.Document
	Form      *inkform.Form
	Pages     []pageView
	Fields    []fieldView
	Current   string // the field the cursor starts on
	History   []historyRow
	Prev      string // the station URLs of the form's neighbouring waiting documents
	Next      string
	Problem   string // why the document could not be saved, for a 422
	ReadOnly  bool   // the document no longer needs verification
	Threshold string // the form's confidence threshold, for the legend
	// Background is the URL of the form version's uploaded background
	// PDF, drawn under the pages by background.js; "" without one.
	Background string
}

// fieldView is one field in the station's panel.
type fieldView struct {
	Name, Label string
	Type        inkform.FieldType
	Input       string // the input's name: "v." and the field's name
	Value       string // the input's text (text, number and date fields)
	Checked     bool   // a checkbox's state
	Options     []optionView
	Multiple    bool
	Digits      bool // typed with digits, so 1–3 need Alt to pick a reading
	Editable    bool // a field a person can type or tick; not signatures and drawings
	Cutout      string
	Confidence  string // "92 %", or "" for values a person set
	Level       string // the confidence as a class: ok, low, bad
	Source      inkform.ValueSource
	Shown       string // the value as it reads, for fields without an input
	Alts        []string
	Problems    []string
	Doubtful    bool
	// Double entry: Blind hides the value read and the other person's
	// entry; Entries are both entries for the third person, who decides.
	DoubleEntry bool
	Blind       bool
	Entries     []inkform.Entry
}

// optionView is one option of a choice field.
type optionView struct {
	Value, Label string
	Chosen       bool
}

// buildStation reads what the station shows of a document.
func (s *Server) buildStation(ctx context.Context, v *visit, doc *inkform.Document) (*stationView, error) {
	org := v.Org.ID
	form, err := s.Forms.FindFormVersion(ctx, org, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	di, err := s.Documents.FindDocumentInk(ctx, org, doc.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return nil, fmt.Errorf("find ink: %w", err)
	}
	entries, err := s.Entries.ListEntries(ctx, org, doc.ID)
	if err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	st := &stationView{Doc: doc, Form: form, ReadOnly: doc.Status != inkform.StatusNeedsVerification,
		Threshold: percent(form.ConfidenceThreshold)}
	states := inkform.EntryStates(entries)
	for i := range form.Fields {
		fv := fieldOf(doc, form, &form.Fields[i], entries, states)
		if st.Current == "" && fv.Doubtful && fv.Editable {
			st.Current = fv.Name
		}
		st.Fields = append(st.Fields, fv)
	}
	if st.Current == "" {
		for _, f := range st.Fields {
			if f.Editable {
				st.Current = f.Name
				break
			}
		}
	}
	st.Pages = drawPages(form, doc, di, st.Current)
	if st.Background, err = s.backgroundURL(ctx, form); err != nil {
		return nil, fmt.Errorf("find background: %w", err)
	}
	if st.History, err = s.history(ctx, v, doc.ID); err != nil {
		return nil, err
	}
	if st.Prev, st.Next, err = s.neighbours(ctx, org, doc); err != nil {
		return nil, err
	}
	return st, nil
}

// fieldOf is the panel's view of one field of a document.
func fieldOf(doc *inkform.Document, form *inkform.Form, f *inkform.Field, entries []inkform.Entry, states map[string]inkform.FieldEntries) fieldView {
	val := doc.Fields[f.Name]
	fv := fieldView{Name: f.Name, Label: labelOf(f), Type: f.Type, Input: "v." + f.Name, Multiple: f.Multiple,
		Source: val.Source, Problems: val.Problems, Doubtful: form.Doubtful(val), DoubleEntry: f.DoubleEntry,
		Editable: f.Type != inkform.FieldSignature && f.Type != inkform.FieldDrawing,
		Digits:   f.Type.Recognized() && f.EffectiveCharset() == inkform.CharsetDigits}
	if f.Box != nil || len(f.Options) > 0 {
		fv.Cutout = "/verify/documents/" + url.PathEscape(doc.ID) + "/fields/" + url.PathEscape(f.Name) + "/cutout.png"
	}
	switch val.Source {
	case inkform.SourceVerifier, inkform.SourceDigital:
		fv.Level = "ok"
	default:
		fv.Confidence = percent(val.Confidence)
		fv.Level = "ok"
		if val.Confidence < form.ConfidenceThreshold {
			fv.Level = "low"
		}
	}
	if !val.Valid {
		fv.Level = "bad"
	}
	fv.Shown = inkform.ValueText(val.Value)
	switch f.Type {
	case inkform.FieldCheckbox:
		fv.Checked, _ = val.Value.(bool)
	case inkform.FieldChoice:
		chosen := chosenOptions(val.Value)
		for _, o := range f.Options {
			fv.Options = append(fv.Options, optionView{Value: o.Value, Label: cmp.Or(o.Label, o.Value), Chosen: slices.Contains(chosen, o.Value)})
		}
	default:
		fv.Value, _ = val.Value.(string)
		fv.Alts = val.Alternatives[:min(len(val.Alternatives), maxAlternatives)]
	}
	if st, ok := states[f.Name]; f.DoubleEntry && (!ok || !st.State.Settled()) {
		doubleEntry(&fv, entries)
	}
	return fv
}

// doubleEntry hides what a blind entry must not see. The first and the
// second person type without the value read or each other's entry; once
// two entries disagree the third sees both, offered as the alternatives,
// and types or picks the value that decides.
func doubleEntry(fv *fieldView, entries []inkform.Entry) {
	var mine []inkform.Entry
	for _, e := range entries {
		if e.Field == fv.Name {
			mine = append(mine, e)
		}
	}
	fv.Value, fv.Shown, fv.Confidence, fv.Alts = "", "", "", nil
	fv.Doubtful = true
	if len(mine) < 2 {
		fv.Blind = true
		return
	}
	fv.Entries = mine
	for _, e := range mine {
		fv.Alts = append(fv.Alts, inkform.ValueText(e.Value))
	}
}

// chosenOptions returns the option values of a choice's value.
func chosenOptions(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// percent writes a confidence as people read it.
func percent(c float64) string { return fmt.Sprintf("%d %%", int(math.Round(c*100))) }
