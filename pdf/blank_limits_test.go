package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/inkform/inkform"
)

// largestForm is a form at the template limits for printing: MaxPages
// pages, MaxFields text fields of MaxComb cells with labels at
// MaxLabelLength, which draws the most marks per copy.
func largestForm(t testing.TB) *inkform.Form {
	t.Helper()
	f := &inkform.Form{ID: "0190a0b0-0000-7000-8000-000000000009", Version: 1}
	f.Name, f.Pattern, f.ConfidenceThreshold = "largest", inkform.PatternCopied, 0.8
	for i := range inkform.MaxPages {
		f.Pages = append(f.Pages, inkform.PageSpec{Size: inkform.Size{W: 2000, H: 2000}, Address: fmt.Sprintf("1.2.3.%d", i+1)})
	}
	label := string(bytes.Repeat([]byte("L"), inkform.MaxLabelLength))
	for i := range inkform.MaxFields {
		f.Fields = append(f.Fields, inkform.Field{
			Name: fmt.Sprintf("f%d", i), Label: label, Type: inkform.FieldText, Page: i%inkform.MaxPages + 1,
			Box: &inkform.Box{X: 10, Y: float64(10 + (i/inkform.MaxPages)*90), W: 1900, H: 80}, Comb: inkform.MaxComb,
		})
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("the largest form is not legal: %v", err)
	}
	return f
}

// TestBlankBounded checks the print limits: more than MaxPrintMarks is
// refused before anything is drawn, a cancelled request stops, and the
// most a request may draw stays within a memory budget.
func TestBlankBounded(t *testing.T) {
	// Not parallel: it measures what one print allocates.
	form := largestForm(t)
	per := form.PrintMarks()
	fit := inkform.MaxPrintMarks / per
	copies := func(n int) [][]string {
		own := make([]string, len(form.Pages))
		for i, p := range form.Pages {
			own[i] = p.Address
		}
		out := make([][]string, n)
		for i := range out {
			out[i] = own
		}
		return out
	}
	var buf bytes.Buffer
	if err := Blank(context.Background(), &buf, form, copies(fit+1)); inkform.ErrorCode(err) != inkform.ETOOLARGE || buf.Len() != 0 {
		t.Fatalf("%d copies of %d marks: %v, %d bytes; want ETOOLARGE and nothing", fit+1, per, err, buf.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Blank(ctx, &buf, form, copies(1)); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Fatalf("cancelled: %v, %d bytes; want context.Canceled and nothing", err, buf.Len())
	}

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := Blank(context.Background(), io.Discard, form, copies(fit)); err != nil {
		t.Fatalf("%d copies: %v", fit, err)
	}
	runtime.ReadMemStats(&after)
	// TotalAlloc bounds the peak from above; the whole PDF is held by
	// the library until it is written.
	const budget = 512 << 20
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d copies × %d marks: %d MB allocated", fit, per, alloc>>20)
	if alloc > budget {
		t.Errorf("the largest print allocated %d MB, budget %d MB", alloc>>20, budget>>20)
	}
}
