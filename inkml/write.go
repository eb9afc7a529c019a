package inkml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/inkform/inkform"
)

// writeHeader declares the one context every written document uses: X and
// Y in millimetres, T in milliseconds, F as given.
const writeHeader = `<?xml version="1.0" encoding="UTF-8"?>
<ink xmlns="http://www.w3.org/2003/InkML">
<context><traceFormat>` +
	`<channel name="X" type="decimal" units="mm"/>` +
	`<channel name="Y" type="decimal" units="mm"/>` +
	`<channel name="T" type="integer" units="ms"/>` +
	`<channel name="F" type="decimal"/>` +
	`</traceFormat></context>
`

// Write writes ink as InkML: one <traceGroup> per page with its page
// address (traces of a page with Address "" stay outside any group), values
// explicit and in the shortest form that reads back to the same float64,
// so Parse returns the same ink. Empty strokes and values Parse would
// refuse (not finite, out of range) are refused with EINVALID.
func Write(w io.Writer, ink *inkform.DocumentInk) error {
	n := len(writeHeader) + 64
	for i := range ink.Pages {
		n += 128 + ink.Pages[i].Points()*32
	}
	buf := make([]byte, 0, n)
	buf = append(buf, writeHeader...)
	if ink.PenID != "" {
		buf = appendAnnotation(buf, "penId", ink.PenID)
	}
	for i := range ink.Pages {
		pg := &ink.Pages[i]
		if pg.Address != "" {
			buf = append(buf, "<traceGroup>"...)
			buf = appendAnnotation(buf, "pageAddress", pg.Address)
		}
		for j := range pg.Strokes {
			var err error
			if buf, err = appendTrace(buf, pg.Strokes[j].Points); err != nil {
				return fmt.Errorf("page %d stroke %d: %w", i+1, j+1, err)
			}
		}
		if pg.Address != "" {
			buf = append(buf, "</traceGroup>\n"...)
		}
	}
	buf = append(buf, "</ink>\n"...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write inkml: %w", err)
	}
	return nil
}

func appendAnnotation(buf []byte, typ, text string) []byte {
	var esc bytes.Buffer
	// EscapeText writes to a bytes.Buffer, which cannot fail.
	_ = xml.EscapeText(&esc, []byte(text))
	buf = append(buf, `<annotation type="`...)
	buf = append(buf, typ...)
	buf = append(buf, `">`...)
	buf = append(buf, esc.Bytes()...)
	return append(buf, "</annotation>\n"...)
}

func appendTrace(buf []byte, pts []inkform.Point) ([]byte, error) {
	if len(pts) == 0 {
		return buf, inkform.Errorf(inkform.EINVALID, "a stroke has no points")
	}
	buf = append(buf, "<trace>"...)
	for k, p := range pts {
		if msg := pointProblem(p.X, p.Y, float64(p.T), p.F); msg != "" {
			return buf, inkform.Errorf(inkform.EINVALID, "point %d: %s", k+1, msg)
		}
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, p.X, 'f', -1, 64)
		buf = append(buf, ' ')
		buf = strconv.AppendFloat(buf, p.Y, 'f', -1, 64)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, p.T, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendFloat(buf, p.F, 'f', -1, 64)
	}
	return append(buf, "</trace>\n"...), nil
}
