package inkml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/inkform/inkform"
)

// benchDoc is a one-page Wound check submission: 40 traces, 2,397 points
// with T and F, 57 KB (made by examples/internal/gensample).
const benchDoc = "testdata/wound-check-57k.inkml"

func readBenchDoc(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(benchDoc)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkParse measures Parse on the benchmark document; compare its MB/s
// with BenchmarkEncodingXML, which only tokenizes the same bytes.
func BenchmarkParse(b *testing.B) {
	data := readBenchDoc(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		sub, err := Parse(data, DefaultLimits())
		if err != nil || len(sub.Pages) != 1 {
			b.Fatal(err)
		}
	}
	reportCPUThroughput(b, cpu, len(data))
}

// BenchmarkEncodingXML is the baseline: encoding/xml reading every token of
// the document (trace text included), without even converting numbers.
func BenchmarkEncodingXML(b *testing.B) {
	data := readBenchDoc(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := processCPU()
	defer func() { reportCPUThroughput(b, cpu, len(data)) }()
	for b.Loop() {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseJSON measures the JSON stroke format on the same ink.
func BenchmarkParseJSON(b *testing.B) {
	data, err := os.ReadFile("../examples/wound-check.json-ink.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON(data, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanTrace measures the trace text scanner alone on one trace of
// 2,400 points in the shape an Anoto pen sends (X Y T F).
func BenchmarkScanTrace(b *testing.B) {
	var body []byte
	for i := range 2400 {
		if i > 0 {
			body = append(body, ',')
		}
		body = fmt.Appendf(body, "%d.%d %d.%d %d %d", 300+i%97, i%8*125, 900-i%89, (i+3)%8*125, 13*i, 100+i%50)
	}
	tf := &traceFormat{regular: 4, total: 4, ix: 0, iy: 1, it: 2, iff: 3, scaleX: AnotoUnitMM, scaleY: AnotoUnitMM, scaleT: 1}
	pts := make([]inkform.Point, 0, 2400)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := scanTrace(body, tf, pts[:0]); err != nil {
			b.Fatal(err.msg)
		}
	}
}
