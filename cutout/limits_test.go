package cutout

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestCutoutPixelLimit checks that a cutout over MaxCutoutPixels is
// refused before anything is drawn — allocating next to nothing — naming
// the dpi that fits, and that the view is clipped to the page.
func TestCutoutPixelLimit(t *testing.T) {
	// Not parallel: it measures what a refused request allocates.
	form := cutoutForm()
	// A drawing field over the whole page and beyond its edges.
	form.Fields = append(form.Fields, inkform.Field{Name: "sketch", Type: inkform.FieldDrawing, Page: 1,
		Box: &inkform.Box{X: -50, Y: -50, W: 400, H: 500}})
	e := newEnv(form, twoInk())
	ctx := context.Background()

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := e.svc.FindCutout(ctx, e.org, e.doc.ID, "sketch", inkform.CutoutPNG, inkform.MaxCutoutDPI)
	runtime.ReadMemStats(&after)
	if inkform.ErrorCode(err) != inkform.EINVALID || !strings.Contains(inkform.ErrorMessage(err), "ask for dpi=") {
		t.Fatalf("600 dpi of a whole page: %v, want EINVALID naming the dpi that fits", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("the refused cutout allocated %d KB", alloc>>10)
	}

	// Clipped to the A4 page, the view is 210×297 mm: 300 dpi fits.
	_, v, err := fieldView(form, "sketch")
	if err != nil || v != (inkform.Box{W: 210, H: 297}) {
		t.Fatalf("view %+v, %v; want the page", v, err)
	}
	data, _, err := e.get(ctx, "sketch", inkform.CutoutPNG, 300)
	if err != nil || len(data) == 0 {
		t.Fatalf("300 dpi of the page: %d bytes, %v", len(data), err)
	}
}
