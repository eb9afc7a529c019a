package icr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
	"github.com/inkform/inkform/icr/internal/icrtest"
)

func newTestEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestClassify(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	tests := []struct {
		cs    inkform.Charset
		n     int
		chars string
	}{
		{inkform.CharsetDigits, MaxCandidates, "0123456789"},
		{inkform.CharsetUpper, MaxCandidates, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{inkform.CharsetAlnum, MaxCandidates, charnet.Classes},
		{"", MaxCandidates, charnet.Classes}, // unknown sets read as alnum
	}
	for _, tt := range tests {
		got := e.Classify(icrtest.Line(), tt.cs)
		if len(got) != tt.n {
			t.Fatalf("%s: %d candidates, want %d", tt.cs, len(got), tt.n)
		}
		sum := 0.0
		for i, c := range got {
			if !containsRune(tt.chars, c.Char) {
				t.Fatalf("%s: candidate %q outside the set", tt.cs, c.Char)
			}
			if i > 0 && c.P > got[i-1].P {
				t.Fatalf("%s: candidates not ranked: %v", tt.cs, got)
			}
			sum += c.P
		}
		if sum > 1+1e-6 || sum <= 0 {
			t.Fatalf("%s: probabilities sum to %v", tt.cs, sum)
		}
	}
	// A vertical bar is a one among digits and an I among letters.
	if c := e.Classify(icrtest.Line(), inkform.CharsetDigits); c[0].Char != '1' {
		t.Errorf("bar as digit: %v", c)
	}
	// Among letters the cascade is torn on this perfectly straight,
	// synthetic bar (H 0.34, I 0.31 with the embedded networks): it must
	// at least offer I and must not be sure of anything.
	if c := e.Classify(icrtest.Line(), inkform.CharsetUpper); (c[0].Char != 'I' && c[1].Char != 'I') || c[0].P >= inkform.DefaultConfidenceThreshold {
		t.Errorf("bar as letter: %v", c)
	}
	if c := e.Classify(nil, inkform.CharsetDigits); c != nil {
		t.Errorf("no ink: %v", c)
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// TestScoringAllocatesNothing checks the inference path behind Classify
// (features, networks, calibration) with one scratch; Classify adds only its
// result slice. The pool itself is left out: under the race detector it
// drops items on purpose.
func TestScoringAllocatesNothing(t *testing.T) {
	e := newTestEngine(t)
	ink := icrtest.Four(0, 0)
	s := e.model.NewScorer()
	e.model.EnsembleProbs(s, ink, charnet.Alnum) // grow the scratch
	if n := testing.AllocsPerRun(200, func() { e.model.EnsembleProbs(s, ink, charnet.Alnum) }); n != 0 {
		t.Fatalf("%v allocations per character, want 0", n)
	}
}

func TestRecognize(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	one := icrtest.Line()
	tests := []struct {
		name  string
		req   inkform.RecognizeRequest
		chars int
	}{
		{"free text", inkform.RecognizeRequest{Charset: inkform.CharsetDigits, Strokes: append(icrtest.Transform(one, 1, 0, 0), icrtest.Transform(one, 1, 5, 0)...)}, 2},
		{"comb skips empty cells", inkform.RecognizeRequest{Charset: inkform.CharsetDigits, Cells: 3, CellStrokes: [][]inkform.Stroke{one, nil, one}}, 2},
		{"no ink", inkform.RecognizeRequest{Charset: inkform.CharsetUpper}, 0},
	}
	for _, tt := range tests {
		rec, err := e.Recognize(context.Background(), tt.req)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Chars) != tt.chars || len([]rune(rec.Text)) != tt.chars {
			t.Fatalf("%s: %+v, want %d characters", tt.name, rec, tt.chars)
		}
		// The field's confidence is the product of its characters'.
		want := 1.0
		for _, c := range rec.Chars {
			want *= c.Candidates[0].P
		}
		if tt.chars == 0 {
			want = 0
		}
		if math.Abs(rec.Confidence-want) > 1e-12 {
			t.Fatalf("%s: confidence %v, want %v", tt.name, rec.Confidence, want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Recognize(ctx, tests[0].req); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err %v", err)
	}
}

// TestClassifyConcurrent runs one engine from several goroutines (the
// worker pool does) and expects the sequential answers.
func TestClassifyConcurrent(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	inks := [][]inkform.Stroke{icrtest.Line(), icrtest.Four(0, 0), icrtest.Transform(icrtest.Four(0, 0), 2, 1, 1)}
	want := make([][]inkform.Candidate, len(inks))
	for i, ink := range inks {
		want[i] = e.Classify(ink, inkform.CharsetAlnum)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for k := 0; k < 200; k++ {
				i := (g + k) % len(inks)
				got := e.Classify(inks[i], inkform.CharsetAlnum)
				if got[0] != want[i][0] {
					errs <- fmt.Errorf("goroutine %d: %v, want %v", g, got[0], want[i][0])
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestEmbeddedModel(t *testing.T) {
	t.Parallel()
	e, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(modelFile) + len(cnnFile); n >= 2<<20 {
		t.Fatalf("model files are %d bytes, the budget is 2 MB", n)
	}
	if len(e.model.Nets) < 1 || e.cnn == nil || len(e.cnn.Convs) < 1 {
		t.Fatal("no networks")
	}
}
