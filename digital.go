package inkform

import (
	"fmt"
	"sort"
)

// DigitalPage is the ink of a digital submission on one page of its form,
// in page coordinates.
type DigitalPage struct {
	Number int // 1-based page of the form
	Ink    PageInk
}

// DigitalFields checks a digital submission against the form and returns
// the values the document starts with. A value or ink for a field the form
// does not have, ink for a field that takes no ink (only signature and
// drawing fields do), true instead of ink for a field that takes it
// (Field.PresenceNeedsInk) and a value its field refuses (Field.Check) are
// problems; any problem makes the result EUNPROCESSABLE naming each
// (fields.<name>, as the request body nests them), sorted by field.
//
// A signature or drawing field sent as ink gets no value here: like pen
// ink, its ink is read by interpretation, which counts only ink inside the
// field's box. Sent as false or left out, it is unsigned (false).
func (t *FormTemplate) DigitalFields(sub *DigitalSubmission) (map[string]FieldValue, error) {
	var problems []Problem
	for name := range sub.Values {
		if t.Field(name) == nil {
			problems = append(problems, Problem{Path: "fields." + name, Message: "is not a field of the form"})
		}
	}
	for name := range sub.Ink {
		switch f := t.Field(name); {
		case f == nil:
			problems = append(problems, Problem{Path: "fields." + name, Message: "is not a field of the form"})
		case !f.TakesInk():
			problems = append(problems, Problem{Path: "fields." + name, Message: "takes a value, not ink (only signature and drawing fields take ink)"})
		}
	}
	fields := make(map[string]FieldValue, len(t.Fields))
	for i := range t.Fields {
		f := &t.Fields[i]
		v := sub.Values[f.Name]
		if f.TakesInk() {
			if v == true {
				problems = append(problems, Problem{Path: "fields." + f.Name, Message: f.PresenceNeedsInk()})
				continue
			}
			if len(sub.Ink[f.Name]) > 0 {
				if v != nil {
					problems = append(problems, Problem{Path: "fields." + f.Name, Message: "has both ink and a value; send ink alone"})
				}
				continue // read from its ink by interpretation
			}
			if v == nil {
				v = false
			}
		}
		for _, msg := range f.Check(v) {
			problems = append(problems, Problem{Path: "fields." + f.Name, Message: msg})
		}
		fields[f.Name] = FieldValue{Value: v, Confidence: 1, Source: SourceDigital, Valid: true, Problems: []string{}}
	}
	if len(problems) == 0 {
		return fields, nil
	}
	// Map order made the list; sorting makes the answer the same each time.
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Path < problems[j].Path })
	msg := fmt.Sprintf("the submission does not fit the form: %s %s", problems[0].Path, problems[0].Message)
	if len(problems) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(problems)-1)
	}
	return nil, &Error{Code: EUNPROCESSABLE, Message: msg, Problems: problems}
}

// DigitalInk translates the ink of a digital submission, given in
// millimetres relative to each field's box, to the coordinates of the
// field's page, and returns it per page in page order, strokes in the
// order of the form's fields; pages without ink are left out. Ink for
// fields that take none is skipped: DigitalFields refuses it.
func (t *FormTemplate) DigitalInk(sub *DigitalSubmission) []DigitalPage {
	byPage := map[int]*DigitalPage{}
	for i := range t.Fields {
		f := &t.Fields[i]
		strokes := sub.Ink[f.Name]
		if !f.TakesInk() || len(strokes) == 0 || f.Page < 1 || f.Page > len(t.Pages) {
			continue
		}
		var dx, dy float64
		if f.Box != nil {
			dx, dy = f.Box.X, f.Box.Y
		}
		p := byPage[f.Page]
		if p == nil {
			p = &DigitalPage{Number: f.Page, Ink: PageInk{Address: t.Pages[f.Page-1].Address}}
			byPage[f.Page] = p
		}
		for _, s := range strokes {
			pts := make([]Point, len(s.Points))
			for i, pt := range s.Points {
				pts[i] = Point{X: pt.X + dx, Y: pt.Y + dy, T: pt.T, F: pt.F}
			}
			p.Ink.Strokes = append(p.Ink.Strokes, Stroke{Points: pts})
		}
	}
	pages := make([]DigitalPage, 0, len(byPage))
	for _, p := range byPage {
		pages = append(pages, *p)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Number < pages[j].Number })
	return pages
}
