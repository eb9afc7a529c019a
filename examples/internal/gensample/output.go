package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// eighths returns a coordinate in eighths of an Anoto pattern unit (0.3 mm),
// the sub-unit precision pens report.
func eighths(mm float64) int64 { return int64(math.Round(mm / 0.3 * 8)) }

// inkML writes the ink as a pen gateway would: X and Y in pattern units (no
// units attribute), T in ms from the first sample, F as the pen's 0–255
// force.
func inkML(strokes [][]sample, pen, submission string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<ink xmlns="http://www.w3.org/2003/InkML">
  <annotation type="penId">` + pen + `</annotation>
`)
	if submission != "" {
		b.WriteString(`  <annotation type="submissionId">` + submission + "</annotation>\n")
	}
	b.WriteString(`  <definitions>
    <context xml:id="anoto">
      <inkSource xml:id="pen">
        <traceFormat>
          <channel name="X" type="decimal"/>
          <channel name="Y" type="decimal"/>
          <channel name="T" type="integer" units="ms"/>
          <channel name="F" type="integer"/>
        </traceFormat>
      </inkSource>
    </context>
  </definitions>
  <traceGroup contextRef="#anoto">
    <annotation type="pageAddress">` + address + `</annotation>
`)
	for _, s := range strokes {
		b.WriteString("    <trace>")
		for i, q := range s {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%s %s %d %d", unit(eighths(q.x)), unit(eighths(q.y)), q.t, int(q.f))
		}
		b.WriteString("</trace>\n")
	}
	b.WriteString("  </traceGroup>\n</ink>\n")
	return []byte(b.String())
}

// unit formats eighths of a pattern unit in pattern units, shortest form.
func unit(e int64) string { return strconv.FormatFloat(float64(e)/8, 'f', -1, 64) }

// jsonInk writes the same ink in the JSON stroke format, in millimetres
// (exactly the InkML positions: an eighth of a unit is 0.0375 mm).
func jsonInk(strokes [][]sample) []byte {
	var b strings.Builder
	b.WriteString(`{"penId":"` + penID + `","units":"mm",` + "\n" + ` "pages":[{"address":"` + address + `","strokes":[` + "\n")
	for i, s := range strokes {
		b.WriteString(`  {"points":[`)
		for j, q := range s {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "[%s,%s,%d,%d]", mm(eighths(q.x)), mm(eighths(q.y)), q.t, int(q.f))
		}
		b.WriteString("]}")
		if i < len(strokes)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(" ]}]}\n")
	return []byte(b.String())
}

// mm formats eighths of a pattern unit in millimetres with the four
// decimals that represent them exactly.
func mm(e int64) string { return strconv.FormatFloat(float64(e*375)/10000, 'f', -1, 64) }
