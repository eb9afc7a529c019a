package ink

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"io"
	"strconv"

	"github.com/inkform/inkform"
)

// RenderSVG writes the strokes as an SVG picture of the view box. The
// picture's coordinates are the page's millimetres (viewBox = view), its
// display size the pixel size RenderPNG would give at dpi, so the two can
// be swapped in a page. Each run of one width (see Pen.Runs) is one path
// with round caps and joins; a dot is a disc. bg, when given, is embedded
// as a PNG under the ink; without it the picture is white.
func RenderSVG(w io.Writer, strokes []inkform.Stroke, view inkform.Box, dpi float64, bg image.Image) error {
	wpx, hpx, err := pixelSize(view, dpi)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	b := make([]byte, 0, 256)
	b = fmt.Appendf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="`, wpx, hpx)
	b = appendMM(b, view.X, ' ')
	b = appendMM(b, view.Y, ' ')
	b = appendMM(b, view.W, ' ')
	b = appendMM(b, view.H, '"')
	b = append(b, ">\n"...)
	bw.Write(b)
	if err := writeBackground(bw, view, bg); err != nil {
		return err
	}
	c := InkColor()
	fmt.Fprintf(bw, `<g fill="none" stroke="#%02x%02x%02x" stroke-linecap="round" stroke-linejoin="round">`+"\n", c.R, c.G, c.B)
	pen := NewPen(strokes)
	cull := Expand(view, MaxPenWidth)
	for i := range strokes {
		s := &strokes[i]
		if b, ok := finiteBounds(s.Points); !ok || !Intersects(b, cull) {
			continue
		}
		pen.Runs(s, func(width float64, pts []inkform.Point) {
			b = b[:0]
			if len(pts) == 1 {
				b = append(b, `<circle stroke="none" fill="#`...)
				b = fmt.Appendf(b, `%02x%02x%02x" cx="`, c.R, c.G, c.B)
				b = appendMM(b, pts[0].X, '"')
				b = append(b, ` cy="`...)
				b = appendMM(b, pts[0].Y, '"')
				b = append(b, ` r="`...)
				b = appendMM(b, width/2, '"')
				b = append(b, "/>\n"...)
				bw.Write(b)
				return
			}
			b = append(b, `<path stroke-width="`...)
			b = appendMM(b, width, '"')
			b = append(b, ` d="M`...)
			for j, p := range pts {
				if j == 1 {
					b = append(b, 'L')
				} else if j > 1 {
					b = append(b, ' ')
				}
				b = appendMM(b, p.X, ' ')
				b = appendMM(b, p.Y, 0)
			}
			b = append(b, "\"/>\n"...)
			bw.Write(b)
		})
	}
	bw.WriteString("</g>\n</svg>\n")
	return bw.Flush()
}

// appendMM appends v with two decimals (0.01 mm is far below pen
// resolution) and then sep unless it is 0.
func appendMM(b []byte, v float64, sep byte) []byte {
	b = strconv.AppendFloat(b, v, 'f', 2, 64)
	if sep != 0 {
		b = append(b, sep)
	}
	return b
}

func writeBackground(w *bufio.Writer, view inkform.Box, bg image.Image) error {
	rect := func(tag string) []byte {
		b := append([]byte("<"), tag...)
		b = append(b, ` x="`...)
		b = appendMM(b, view.X, '"')
		b = append(b, ` y="`...)
		b = appendMM(b, view.Y, '"')
		b = append(b, ` width="`...)
		b = appendMM(b, view.W, '"')
		b = append(b, ` height="`...)
		return appendMM(b, view.H, '"')
	}
	if bg == nil {
		w.Write(rect("rect"))
		w.WriteString(` fill="#fff"/>` + "\n")
		return nil
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, bg); err != nil {
		return fmt.Errorf("render svg: encode background: %w", err)
	}
	w.Write(rect("image"))
	w.WriteString(` preserveAspectRatio="none" href="data:image/png;base64,`)
	enc := base64.NewEncoder(base64.StdEncoding, w)
	enc.Write(buf.Bytes())
	enc.Close()
	w.WriteString(`"/>` + "\n")
	return nil
}
