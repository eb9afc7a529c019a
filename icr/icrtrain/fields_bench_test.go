package icrtrain

import (
	"testing"

	"github.com/inkform/inkform"
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
		fields := buildFields(val, cs, fieldChars)
		for _, layout := range []string{"free", "comb"} {
			b.Run(string(cs)+"/"+layout, func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuTime()
				for i := 0; b.Loop(); i++ {
					f := fields[i%len(fields)]
					req := inkform.RecognizeRequest{Charset: cs, Strokes: f.Strokes}
					if layout == "comb" {
						req.Cells, req.CellStrokes = fieldChars, f.CellStrokes
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
