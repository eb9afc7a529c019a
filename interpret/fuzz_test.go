package interpret

import (
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/inkform/inkform"
)

// fuzzInk decodes fuzz bytes into ink on testForm's two pages. Each point
// takes 5 bytes: a flag (bit 0 starts a new stroke, bit 1 puts it on page 2,
// bit 2 makes the coordinates raw float bits: NaN, ±Inf, 1e308 …) and two
// 16-bit coordinates in 1/200 mm, which land on the form's boxes.
func fuzzInk(data []byte) (*inkform.DocumentInk, int) {
	pages := [2]*inkform.PageInk{{Address: addr1}, {Address: addr2}}
	strokes := 0
	for len(data) >= 5 {
		flag := data[0]
		x := float64(binary.LittleEndian.Uint16(data[1:])) / 200
		y := float64(binary.LittleEndian.Uint16(data[3:])) / 200
		if flag&4 != 0 {
			x = math.Float64frombits(uint64(binary.LittleEndian.Uint16(data[1:])) << 48)
			y = math.Float64frombits(uint64(binary.LittleEndian.Uint16(data[3:])) << 48)
		}
		data = data[5:]
		pg := pages[(flag>>1)&1]
		if flag&1 != 0 || len(pg.Strokes) == 0 {
			pg.Strokes = append(pg.Strokes, inkform.Stroke{})
			strokes++
		}
		s := &pg.Strokes[len(pg.Strokes)-1]
		s.Points = append(s.Points, inkform.Point{X: x, Y: y, T: int64(len(s.Points)) * 13})
	}
	return &inkform.DocumentInk{Pages: []inkform.PageInk{*pages[0], *pages[1]}}, strokes
}

// FuzzInterpret checks that any ink, however corrupt, interprets without
// error or panic, places every stroke exactly once and gives every field a
// confidence between 0 and 1.
//
//	go test ./interpret -run '^$' -fuzz FuzzInterpret -fuzztime 60s
func FuzzInterpret(f *testing.F) {
	f.Add([]byte{1, 0x10, 0x0f, 0x40, 0x1f, 0, 0x30, 0x0f, 0x60, 0x1f})
	f.Add([]byte{5, 0xf8, 0x7f, 0xf0, 0x7f, 4, 0, 0, 0, 0, 1, 0x20, 0x0f, 0x50, 0x1f})
	f.Add([]byte{3, 0x40, 0x1f, 0xa0, 0xc3, 2, 0x40, 0x4e, 0xa0, 0xc3})
	form := testForm()
	in := &Interpreter{Recognizer: constant{text: "1", conf: 0.95}}
	f.Fuzz(func(t *testing.T, data []byte) {
		di, strokes := fuzzInk(data)
		res, err := in.Interpret(context.Background(), form, testDoc(), di)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Fields) != len(form.Fields) {
			t.Fatalf("%d field entries for %d fields", len(res.Fields), len(form.Fields))
		}
		for name, fv := range res.Fields {
			if !(fv.Confidence >= 0 && fv.Confidence <= 1) {
				t.Fatalf("%s: confidence %v", name, fv.Confidence)
			}
		}
		placed := 0
		for _, s := range res.FieldInk {
			placed += len(s)
		}
		for _, p := range res.Unassigned {
			placed += len(p.Strokes)
		}
		if placed != strokes {
			t.Fatalf("%d strokes in, %d placed", strokes, placed)
		}
		if res.Status != inkform.StatusValidated && res.Status != inkform.StatusNeedsVerification {
			t.Fatalf("status %q", res.Status)
		}
	})
}
