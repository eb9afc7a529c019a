package inkml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// jsonSubmission is the JSON stroke format (FORMAT.md).
type jsonSubmission struct {
	PenID        string     `json:"penId"`
	SubmissionID string     `json:"submissionId"`
	Units        string     `json:"units"`
	Pages        []jsonPage `json:"pages"`
}

type jsonPage struct {
	Address string       `json:"address"`
	Strokes []jsonStroke `json:"strokes"`
}

type jsonStroke struct {
	Points []jsonPoint `json:"points"`
}

// jsonPoint is [x, y], [x, y, t] or [x, y, t, f]. It decodes itself so that
// a point costs no allocation of its own.
type jsonPoint struct {
	v [4]float64
	n int
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *jsonPoint) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return errPointShape
	}
	rest := b[1 : len(b)-1]
	for len(bytes.TrimSpace(rest)) > 0 {
		if p.n == len(p.v) {
			return errPointShape
		}
		var item []byte
		item, rest, _ = bytes.Cut(rest, []byte{','})
		v, err := strconv.ParseFloat(string(bytes.TrimSpace(item)), 64)
		if err != nil || math.IsInf(v, 0) {
			return errPointShape
		}
		p.v[p.n] = v
		p.n++
	}
	if p.n < 2 {
		return errPointShape
	}
	return nil
}

var errPointShape = errors.New("a point must be an array [x, y], [x, y, t] or [x, y, t, f] of numbers")

// ParseJSON reads a submission in the JSON stroke format (FORMAT.md):
// {"penId", "submissionId", "units", "pages": [{"address", "strokes":
// [{"points": [[x, y, t, f], …]}]}]}. Units default to mm; t is in
// milliseconds. Unknown keys are refused. Pages with the same address are
// merged and pages without strokes dropped; the address "" is allowed as
// in Parse.
func ParseJSON(data []byte, lim Limits) (*inkform.InkSubmission, error) {
	if err := lim.checkBytes(len(data), "JSON ink"); err != nil {
		return nil, err
	}
	var in jsonSubmission
	if err := decodeStrict(data, &in); err != nil {
		return nil, err
	}
	scale, ok := lengthUnitMM(in.Units)
	if in.Units == "" {
		scale = 1
	} else if !ok {
		return nil, invalidf("JSON ink: units must be mm, cm, m, in, pt or anoto, not %q", in.Units)
	}
	sub := &inkform.InkSubmission{PenID: strings.TrimSpace(in.PenID), SubmissionID: strings.TrimSpace(in.SubmissionID)}
	if msg := idProblem("penId", sub.PenID, inkform.MaxPenIDLength); sub.PenID != "" && msg != "" {
		return nil, invalidf("JSON ink: %s", msg)
	}
	if msg := idProblem("submissionId", sub.SubmissionID, inkform.MaxSubmissionIDLength); sub.SubmissionID != "" && msg != "" {
		return nil, invalidf("JSON ink: %s", msg)
	}
	index := make(map[string]int, len(in.Pages))
	var c counter
	for i, pg := range in.Pages {
		if pg.Address != "" {
			if err := inkform.ValidateAddress(pg.Address); err != nil {
				return nil, invalidf("JSON ink: pages[%d].address: %s", i, inkform.ErrorMessage(err))
			}
		}
		if len(pg.Strokes) == 0 {
			// As in InkML, a page without ink is no page.
			continue
		}
		k, ok := index[pg.Address]
		if !ok {
			if len(sub.Pages) == lim.MaxPages {
				return nil, tooManyPages(lim)
			}
			k = len(sub.Pages)
			index[pg.Address] = k
			sub.Pages = append(sub.Pages, inkform.PageInk{Address: pg.Address})
		}
		strokes, err := convertStrokes(pg.Strokes, scale, lim, &c, fmt.Sprintf("pages[%d].", i))
		if err != nil {
			return nil, err
		}
		sub.Pages[k].Strokes = append(sub.Pages[k].Strokes, strokes...)
	}
	return sub, nil
}

// DecodeStrokes reads {"strokes": [{"points": [[x, y], …]}, …]} in
// millimetres, the ink of a signature or drawing value of a digital
// submission. No strokes gives an empty, non-nil slice.
func DecodeStrokes(raw []byte, lim Limits) ([]inkform.Stroke, error) {
	if err := lim.checkBytes(len(raw), "JSON strokes"); err != nil {
		return nil, err
	}
	var in struct {
		Strokes []jsonStroke `json:"strokes"`
	}
	if err := decodeStrict(raw, &in); err != nil {
		return nil, err
	}
	var c counter
	out, err := convertStrokes(in.Strokes, 1, lim, &c, "")
	if out == nil && err == nil {
		out = []inkform.Stroke{}
	}
	return out, err
}

// counter tracks limits over a whole submission.
type counter struct{ traces, points int }

func convertStrokes(in []jsonStroke, scale float64, lim Limits, c *counter, path string) ([]inkform.Stroke, error) {
	if len(in) > lim.MaxTraces-c.traces {
		return nil, tooManyTraces(lim)
	}
	c.traces += len(in)
	out := make([]inkform.Stroke, len(in))
	for i, s := range in {
		if len(s.Points) == 0 {
			return nil, invalidf("JSON ink: %sstrokes[%d] has no points", path, i)
		}
		if len(s.Points) > lim.MaxPoints-c.points {
			return nil, tooManyPoints(lim)
		}
		c.points += len(s.Points)
		pts := make([]inkform.Point, len(s.Points))
		for j, jp := range s.Points {
			x, y, t, f := jp.v[0]*scale, jp.v[1]*scale, jp.v[2], jp.v[3]
			if msg := pointProblem(x, y, t, f); msg != "" {
				return nil, invalidf("JSON ink: %sstrokes[%d].points[%d]: %s", path, i, j, msg)
			}
			pts[j] = inkform.Point{X: x, Y: y, T: int64(math.Round(t)), F: f}
		}
		out[i].Points = pts
	}
	return out, nil
}

// decodeStrict decodes one JSON value, refusing unknown keys and trailing
// data, and turns decoding errors into EINVALID with a useful message.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return invalidf("JSON ink: malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		return invalidf("JSON ink: %s must be %s, not a JSON %s", te.Field, jsonKind(te.Type), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return invalidf("JSON ink: unknown key %s (keys are penId, submissionId, units, pages; a page has address and strokes; a stroke has points)",
			strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, errPointShape) || strings.Contains(err.Error(), errPointShape.Error()):
		return invalidf("JSON ink: %s", errPointShape.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		// The body ends inside a value: say where, as for syntax errors.
		return invalidf("JSON ink: malformed JSON at byte %d: the body ends before the JSON value does (truncated?)", len(data))
	}
	return invalidf("JSON ink: %v", err)
}

// jsonKind names the JSON form of a Go type for messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Float64, reflect.Int, reflect.Int64:
		return "a number"
	}
	return "something else"
}
