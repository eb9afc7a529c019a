package icrtrain

import (
	"bytes"
	"image/color"
	"image/png"
	"io"
	"testing"

	"github.com/inkform/inkform"
)

func TestWriteSheet(t *testing.T) {
	t.Parallel()
	line := Sample{Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 0, Y: 0}, {X: 100, Y: 0}}}}}
	dot := Sample{Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 5, Y: 5}}}}}
	samples := []Sample{line}
	for range 8 {
		samples = append(samples, dot)
	}
	var buf bytes.Buffer
	if err := WriteSheet(&buf, samples); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got.X != 960 || got.Y != 240 {
		t.Fatalf("sheet of 9 characters is %v, want 960×240 (8 cells a row)", got)
	}
	tests := []struct {
		name string
		x, y int
		want uint8
	}{
		{"the line's start, at the margin", 10, 10, 0},
		{"the line's middle", 60, 10, 0},
		{"under the line", 60, 60, 255},
		{"the first cell's right border", 119, 60, 180},
		{"the ninth character, a dot at its cell's margin", 10, 130, 0},
		{"the tenth cell, empty", 180, 180, 255},
	}
	for _, tt := range tests {
		if got := color.GrayModel.Convert(img.At(tt.x, tt.y)).(color.Gray).Y; got != tt.want {
			t.Errorf("%s (%d, %d): grey %d, want %d", tt.name, tt.x, tt.y, got, tt.want)
		}
	}
}

func TestWriteSheetLimits(t *testing.T) {
	t.Parallel()
	if err := WriteSheet(io.Discard, nil); err == nil {
		t.Error("a sheet of no characters was written")
	}
	if err := WriteSheet(io.Discard, make([]Sample, maxSheetChars+1)); err == nil {
		t.Errorf("a sheet of %d characters was written", maxSheetChars+1)
	}
}

// TestAcceptedWrong checks that the misreadings listed are the ones
// Evaluate counts, on the embedded engine and the validation sources.
func TestAcceptedWrong(t *testing.T) {
	val, e := embeddedOnValidation(t)
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
		const threshold = inkform.DefaultConfidenceThreshold
		got := AcceptedWrong(e, val, cs, threshold)
		if want := Evaluate(e, val, cs, threshold).AcceptedWrong; len(got) != want || want == 0 {
			t.Errorf("%s: %d misreadings listed, Evaluate counts %d", cs, len(got), want)
		}
		for _, m := range got {
			if m.Read == m.Label || m.P < threshold {
				t.Errorf("%s: listed %c read as %c at %.3f", cs, m.Label, m.Read, m.P)
			}
		}
	}
}
