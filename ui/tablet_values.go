package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// inkPrefix starts the name of a signature's hidden input, which holds
// its strokes in the JSON stroke format ({"strokes": [...]}), in
// millimetres from the field box's top-left corner, as the signature pad
// (tablet.js) converts them from the canvas's pixels.
const inkPrefix = "ink."

// tabletInkLimits bound one field's posted ink. A signature drawn with a
// finger is a few hundred points in a few strokes; the bounds leave room
// for a slow, careful one and keep the largest post well under
// maxTabletBytes.
var tabletInkLimits = inkml.Limits{MaxBytes: 256 << 10, MaxPoints: 10_000, MaxTraces: 500, MaxPages: 1}

// parseTabletInk parses a signature pad's posted strokes: "" is no ink.
// Over a limit it is ETOOLARGE, malformed EINVALID, as inkml says.
func parseTabletInk(s string) ([]inkform.Stroke, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return inkml.DecodeStrokes([]byte(s), tabletInkLimits)
}

// inkEdge is how far (mm) a point of a signature may lie outside its box:
// the pad keeps every point inside, so more is not the pad's ink.
const inkEdge = 2.0

// outsideBox names the first point of the strokes that lies outside the
// box, "" when none does.
func outsideBox(strokes []inkform.Stroke, box *inkform.Box) string {
	if box == nil {
		return ""
	}
	for i := range strokes {
		for j, p := range strokes[i].Points {
			if p.X < -inkEdge || p.Y < -inkEdge || p.X > box.W+inkEdge || p.Y > box.H+inkEdge {
				return fmt.Sprintf("point %d of stroke %d lies outside the %g × %g mm box", j+1, i+1, box.W, box.H)
			}
		}
	}
	return ""
}

// tabletSubmission turns a posted tablet form into a digital submission
// and the problems per field name: what could not be read (a date, the
// ink) and what breaks the form's rules (DigitalFields), at most one per
// field, as the person fixes one thing at a time.
func tabletSubmission(form *inkform.Form, in url.Values) (*inkform.DigitalSubmission, map[string][]string) {
	sub := &inkform.DigitalSubmission{FormID: form.ID, Values: map[string]any{}, Ink: map[string][]inkform.Stroke{}}
	problems := map[string][]string{}
	for i := range form.Fields {
		f := &form.Fields[i]
		vals := in[inputPrefix+f.Name]
		last := ""
		if len(vals) > 0 {
			last = strings.TrimSpace(vals[len(vals)-1])
		}
		switch f.Type {
		case inkform.FieldSignature, inkform.FieldDrawing:
			strokes, err := parseTabletInk(in.Get(inkPrefix + f.Name))
			if err != nil {
				problems[f.Name] = []string{"could not be read: " + inkform.ErrorMessage(err)}
				continue
			}
			if msg := outsideBox(strokes, f.Box); msg != "" {
				problems[f.Name] = []string{msg}
				continue
			}
			if len(strokes) > 0 {
				sub.Ink[f.Name] = strokes
			}
		case inkform.FieldCheckbox:
			// A hidden "false" precedes the box, so a ticked one sends
			// false, then true.
			sub.Values[f.Name] = last == "true"
		case inkform.FieldChoice:
			var picked []string
			for _, v := range vals {
				if v != "" {
					picked = append(picked, v)
				}
			}
			switch {
			case f.Multiple && len(picked) > 0:
				sub.Values[f.Name] = picked
			case len(picked) > 0:
				sub.Values[f.Name] = picked[0]
			}
		case inkform.FieldDate:
			if last == "" {
				continue
			}
			v, err := dateValue(f, last)
			if err != nil {
				problems[f.Name] = []string{err.Error()}
				continue
			}
			sub.Values[f.Name] = v
		default:
			if last != "" {
				sub.Values[f.Name] = last
			}
		}
	}
	_, err := form.DigitalFields(sub)
	for _, p := range inkform.ErrorProblems(err) {
		name := strings.TrimPrefix(p.Path, "fields.")
		if len(problems[name]) > 0 {
			continue
		}
		msg := p.Message
		if f := form.Field(name); f != nil && f.TakesInk() && msg == "is required" {
			msg = "is required: draw it in the box"
		}
		problems[name] = []string{msg}
	}
	return sub, problems
}

// dateValue turns a date input's value (YYYY-MM-DD, what type=date
// posts) into the field's format, as the date would be written on paper.
// A browser without a date picker lets people type; a date typed in the
// field's own format is taken as it is.
func dateValue(f *inkform.Field, s string) (string, error) {
	df, err := inkform.ParseDateFormat(f.Format)
	if err != nil {
		return "", fmt.Errorf("the form's date format %q is not usable", f.Format)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if df.Check(s) == nil {
			return s, nil
		}
		return "", fmt.Errorf("is not a date: pick one, or write it as %s", f.Format)
	}
	v := strings.NewReplacer(
		"YYYY", fmt.Sprintf("%04d", t.Year()), "YY", fmt.Sprintf("%02d", t.Year()%100),
		"MM", fmt.Sprintf("%02d", int(t.Month())), "DD", fmt.Sprintf("%02d", t.Day()),
	).Replace(df.Format)
	// Two-digit years hold 1970–2069 only; the value must read back as
	// the date picked.
	if back, err := df.Parse(v); err != nil || !back.Equal(t) {
		return "", fmt.Errorf("is outside the years the format %s can hold", f.Format)
	}
	return v, nil
}
