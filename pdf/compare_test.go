package pdf

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// writeReference rewrites the reference images. They were made by the
// fpdf renderer this package had before its own writer (commit 33b2ce6)
// and are kept as they are; rewrite them only on purpose.
var writeReference = flag.Bool("write-reference", false, "rewrite testdata/reference_*.png from the current renderer")

// referenceDPI is the resolution of the reference images: fine enough to
// show a misplaced line or glyph, small enough to keep testdata small.
const referenceDPI = 72

// referenceCases are the documents compared with the reference images.
func referenceCases(t testing.TB) []struct {
	name string
	pdf  []byte
} {
	t.Helper()
	form := sampleForm()
	doc, di := sampleDoc()
	a4 := inkform.Size{W: 210, H: 297}
	var blank bytes.Buffer
	if err := Blank(context.Background(), &blank, form, nil); err != nil {
		t.Fatal(err)
	}
	return []struct {
		name string
		pdf  []byte
	}{
		{"drawn", filled(t, FilledInput{Form: form, Doc: doc, Ink: di})},
		{"background", filled(t, FilledInput{Form: form, Doc: doc, Ink: di, Background: makeBackground(t, a4, a4)})},
		{"digital", filled(t, FilledInput{Form: form, Doc: doc})},
		{"blank", blank.Bytes()},
	}
}

// TestRenderingMatchesReference renders every page of the reference
// documents with pdftoppm and compares them with the images the fpdf
// renderer made: the output must look the same.
func TestRenderingMatchesReference(t *testing.T) {
	t.Parallel()
	needReferenceFont(t)
	for _, c := range referenceCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			qpdfCheck(t, c.pdf)
			pages := len(pageSizes(t, c.pdf))
			for p := 1; p <= pages; p++ {
				got := renderPage(t, c.pdf, p, referenceDPI)
				path := filepath.Join("testdata", fmt.Sprintf("reference_%s_%d.png", c.name, p))
				if *writeReference {
					writePNG(t, path, got)
					continue
				}
				want := readPNG(t, path)
				diff, changed, total := pixelDiff(got, want)
				t.Logf("page %d: %d of %d pixels differ, %d by any amount", p, diff, total, changed)
				// 0.05% is a few dozen pixels at 72 dpi: glyph and line
				// edges where coordinates round differently.
				if diff*2000 > total {
					writePNG(t, filepath.Join(t.TempDir(), "got.png"), got)
					t.Errorf("page %d: %d of %d pixels differ from %s", p, diff, total, path)
				}
			}
			if _, err := os.Stat(filepath.Join("testdata", fmt.Sprintf("reference_%s_%d.png", c.name, pages+1))); err == nil {
				t.Errorf("the reference has more than %d pages", pages)
			}
		})
	}
}

// referenceFont is the font poppler drew Helvetica with when the
// reference images were made. The PDFs name Helvetica without embedding
// it, so poppler draws whatever fontconfig substitutes; another font
// (Debian's bare default is DejaVu Sans) moves every glyph's edges.
const referenceFont = "Liberation Sans"

// needReferenceFont skips unless fontconfig substitutes referenceFont for
// Helvetica, saying what to install. .ci/run installs it and checks.
func needReferenceFont(t *testing.T) {
	t.Helper()
	tool := needTool(t, "fc-match")
	out, err := exec.Command(tool, "-f", "%{family}", "Helvetica").Output()
	if err != nil {
		t.Fatalf("fc-match: %v", err)
	}
	if family, _, _ := strings.Cut(string(out), ","); family != referenceFont {
		t.Skipf("Helvetica is drawn with %q here, the reference images with %q: apt-get install fonts-liberation to compare", family, referenceFont)
	}
}

// pixelDiff counts the pixels whose colours differ by more than 48 of 255
// in a channel, and those that differ at all; pages of another size
// differ everywhere.
func pixelDiff(got, want image.Image) (diff, changed, total int) {
	b := want.Bounds()
	total = b.Dx() * b.Dy()
	if got.Bounds() != b {
		return total, total, total
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := colourDistance(got.At(x, y), want.At(x, y))
			if d > 48 {
				diff++
			}
			if d > 0 {
				changed++
			}
		}
	}
	return diff, changed, total
}

func writePNG(t testing.TB, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
