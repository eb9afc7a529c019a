package interpret

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/cutout"
)

// heldOutSources are the UNIPEN sources that no threshold of stroke
// assignment here was tuned on (the handwriting engine's test sources,
// icrtrain.TestSources, fixed before its first experiment): styles of
// writing, tablets and sizes.
var heldOutSources = []string{"aga", "ced", "imp", "pri"}

// strays are the offsets (mm) by which a writer's hand misses the cells:
// not at all, over the cell borders, and down towards the field below,
// where the grown boxes of two fields meet.
var strays = [][2]float64{{0, 0}, {1.2, 0.5}, {-1.2, -2}, {0.6, 2.6}, {2.2, -0.8}, {-0.4, 3.2}}

// heldOutInk fills testForm in one writer's hand: real digits in the
// combs and, written as digits too, the name; synthetic ticks, a scribble,
// a signature and a sketch; and ink in no field (a dot between the combs,
// a note in the margin, a page of another form). All of the writer's
// handwriting strays by (dx, dy).
func heldOutInk(p *pen, f *inkform.Form, digits map[rune][]unipenSample, addresses [2]string, dx, dy float64) *inkform.DocumentInk {
	var have []rune
	for d := range digits {
		have = append(have, d)
	}
	slices.Sort(have)
	var t0 int64
	write := func(field, text string, cells int) []inkform.Stroke {
		var out []inkform.Stroke
		for i, d := range text {
			samples := digits[d]
			if len(samples) == 0 { // the writer left this digit out
				samples = digits[have[i%len(have)]]
			}
			out = append(out, shift(samples[i%len(samples)].write(fieldBox(f, field).Cell(i, cells), t0), dx, dy)...)
			t0 += 2000
		}
		return out
	}
	page1 := []inkform.Stroke{
		p.tick(fieldBox(f, "consent")), p.scribble(fieldBox(f, "smoker"), 0.7),
		p.tick(fieldBox(f, "sex", "f")), p.circle(fieldBox(f, "sex", "d"), 2.6),
		p.tick(fieldBox(f, "symptoms", "fever")), p.stroke(48, 71, 56, 73), // beside the options
		p.dot(35, 101), p.stroke(150, 20, 185, 24),
	}
	page1 = append(page1, write("patient_no", "407215", 6)...)
	page1 = append(page1, write("age", "47", 2)...)
	page1 = append(page1, write("visit", "140326", 6)...)
	page1 = append(page1, write("name", "90817263", 8)...)
	page2 := append(p.signature(fieldBox(f, "signature"), 0.6), p.circle(fieldBox(f, "sketch"), 20))
	return inkOf(addresses[0], page1, "9.9.9.9", []inkform.Stroke{p.tick(fieldBox(f, "consent"))}, addresses[1], page2)
}

// TestCutoutsShowInterpretedInk fills the form in the hand of every writer
// of the held-out UNIPEN sources, on copied and unique pattern, and checks
// that for every field the cutout shows exactly the strokes that
// interpretation read the field's value from.
func TestCutoutsShowInterpretedInk(t *testing.T) {
	t.Parallel()
	writers := unipenWriters(t, func(w string) bool {
		src, _, _ := strings.Cut(w, "/")
		return slices.Contains(heldOutSources, src) && strings.HasSuffix(w, ".dat")
	}, 0)
	bySource := map[string][]string{}
	for w := range writers {
		src, _, _ := strings.Cut(w, "/")
		bySource[src] = append(bySource[src], w)
	}
	for _, src := range heldOutSources {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			names := bySource[src]
			slices.Sort(names)
			if len(names) == 0 {
				t.Fatalf("no writer of held-out source %s in the corpus", src)
			}
			strokes, fieldStrokes := 0, 0
			for i, w := range names {
				if len(writers[w]) == 0 {
					continue // the writer's file holds no digit
				}
				f, doc := testForm(), testDoc()
				addresses := [2]string{addr1, addr2}
				if i%2 == 1 {
					f.Pattern = inkform.PatternUnique
					f.Pages[0].Address, f.Pages[1].Address = "", ""
					addresses = [2]string{"71.0.0.7", "71.0.0.8"}
					doc.Pages = []inkform.DocumentPage{{Number: 2, Address: addresses[1]}, {Number: 1, Address: addresses[0]}}
				}
				s := strays[i%len(strays)]
				di := heldOutInk(newPen(uint64(i)), f, writers[w], addresses, s[0], s[1])
				res, err := (&Interpreter{}).Interpret(context.Background(), f, doc, di)
				if err != nil {
					t.Fatalf("%s: %v", w, err)
				}
				for _, fl := range f.Fields {
					got, want := cutout.Strokes(f, doc, di, fl.Name), res.FieldInk[fl.Name]
					if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
						t.Errorf("%s, field %s: the cutout shows %d strokes, interpretation read %d", w, fl.Name, len(got), len(want))
					}
					fieldStrokes += len(want)
				}
				for _, p := range di.Pages {
					strokes += len(p.Strokes)
				}
				if len(res.FieldInk["patient_no"]) == 0 || len(res.Unassigned) == 0 {
					t.Errorf("%s: %d patient_no strokes, %d unassigned pages: the document is not what the test means", w, len(res.FieldInk["patient_no"]), len(res.Unassigned))
				}
			}
			t.Logf("%d writers, %d strokes, %d in fields", len(names), strokes, fieldStrokes)
			if fieldStrokes == 0 || fieldStrokes == strokes {
				t.Errorf("%s: %d of %d strokes in fields: nothing was compared, or no ink was left out", src, fieldStrokes, strokes)
			}
		})
	}
}
