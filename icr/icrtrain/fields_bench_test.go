package icrtrain

import (
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// BenchmarkRecognizeFields measures whole fields as the pipeline reads
// them (Recognize: segmentation or comb cells, every character, the field
// confidence), four validation characters each, per character set and
// layout: free text (the engine splits the ink) and comb (one cell per
// character). chars/cpu-s counts characters, so it compares with
// BenchmarkClassify; run it with GOMAXPROCS=1 for the per-core figure.
func BenchmarkRecognizeFields(b *testing.B) {
	_, val, _ := corpus(b)
	e := benchEngine(b)
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper, inkform.CharsetAlnum} {
		fields := benchFields(val, cs, fieldChars)
		for _, layout := range []string{"free", "comb"} {
			b.Run(string(cs)+"/"+layout, func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuTime()
				for i := 0; b.Loop(); i++ {
					req := fields[i%len(fields)]
					if layout == "free" {
						req.Cells, req.CellStrokes = 0, nil
					}
					if _, err := e.Recognize(b.Context(), req); err != nil {
						b.Fatal(err)
					}
				}
				if c := cpuTime() - cpu; c > 0 {
					b.ReportMetric(float64(fieldChars*b.N)/c.Seconds(), "chars/cpu-s")
				}
			})
		}
	}
}

// fieldChars is the length of the benchmark's fields.
const fieldChars = 4

// benchFields lays out consecutive characters of cs from samples as fields
// of n: the free-text ink in Strokes, the same characters by cell in
// CellStrokes (Cells n).
func benchFields(samples []Sample, cs inkform.Charset, n int) []inkform.RecognizeRequest {
	lo, hi := charnet.CharsetRange(charnet.CharsetOf(cs))
	var out []inkform.RecognizeRequest
	var chars [][]inkform.Stroke
	for _, s := range samples {
		if c := charnet.ClassIndex(s.Label); c < lo || c >= hi {
			continue
		}
		if chars = append(chars, s.Strokes); len(chars) < n {
			continue
		}
		ink := layoutField(chars)
		req := inkform.RecognizeRequest{Charset: cs, Strokes: ink, Cells: n}
		for _, c := range chars {
			req.CellStrokes, ink = append(req.CellStrokes, ink[:len(c)]), ink[len(c):]
		}
		out = append(out, req)
		chars = nil
	}
	return out
}
