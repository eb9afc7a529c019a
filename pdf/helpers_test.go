package pdf

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/inkform/inkform"
)

func box(x, y, w, h float64) *inkform.Box { return &inkform.Box{X: x, Y: y, W: w, H: h} }

// sampleForm is a two-page A4 form with every kind of field.
func sampleForm() *inkform.Form {
	return &inkform.Form{
		ID: "0190a0b0-0000-7000-8000-000000000001", Version: 3,
		FormTemplate: inkform.FormTemplate{
			Name:    "Home visit (Hausbesuch)",
			Pattern: inkform.PatternCopied,
			Pages:   []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "70.3.12.5"}, {Size: inkform.Size{W: 210, H: 297}, Address: "70.3.12.6"}},
			Fields: []inkform.Field{
				{Name: "patient_no", Label: "Patient number", Type: inkform.FieldNumber, Page: 1, Box: box(20, 30, 80, 12), Comb: 8},
				{Name: "name", Label: "Name of the patient", Type: inkform.FieldText, Page: 1, Box: box(20, 55, 120, 12)},
				{Name: "visit_date", Label: "Date (DDMMYY)", Type: inkform.FieldDate, Page: 1, Box: box(20, 80, 60, 12), Comb: 6, Format: "DDMMYY"},
				{Name: "consent", Label: "Consent given", Type: inkform.FieldCheckbox, Page: 1, Box: box(20, 105, 6, 6)},
				{Name: "mood", Label: "Mood", Type: inkform.FieldChoice, Page: 1, Options: []inkform.Option{
					{Value: "good", Label: "good", Box: inkform.Box{X: 20, Y: 125, W: 6, H: 6}},
					{Value: "ok", Label: "so-so", Box: inkform.Box{X: 50, Y: 125, W: 6, H: 6}},
					{Value: "bad", Label: "bad", Box: inkform.Box{X: 80, Y: 125, W: 6, H: 6}},
				}},
				{Name: "notes", Label: "Notes", Type: inkform.FieldText, Page: 1, Box: box(20, 150, 170, 30)},
				{Name: "signature", Label: "Signature", Type: inkform.FieldSignature, Page: 1, Box: box(20, 200, 100, 25)},
				{Name: "remarks", Label: "Remarks (page 2) – ünïcödé ✓", Type: inkform.FieldText, Page: 2, Box: box(20, 30, 170, 20)},
			},
		},
		CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		UpdatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
	}
}

// digit returns a loop-shaped stroke like a handwritten digit centred in
// the box, sampled every few tenths of a millimetre with force.
func digit(b inkform.Box, turns float64) inkform.Stroke {
	cx, cy := b.X+b.W/2, b.Y+b.H/2
	s := inkform.Stroke{}
	for i := 0; i <= 30; i++ {
		a := 2 * math.Pi * turns * float64(i) / 30
		s.Points = append(s.Points, inkform.Point{
			X: cx + b.W*0.3*math.Sin(a), Y: cy - b.H*0.35*math.Cos(a) + 0.05*float64(i),
			T: int64(i * 12), F: 200 + 300*math.Sin(math.Pi*float64(i)/30),
		})
	}
	return s
}

// sampleDoc is a document of sampleForm with ink on page 1 and values.
func sampleDoc() (*inkform.Document, *inkform.DocumentInk) {
	f := sampleForm()
	var strokes []inkform.Stroke
	pn := f.Field("patient_no")
	for c := range 8 {
		strokes = append(strokes, digit(pn.Box.Cell(c, 8), 0.7+0.1*float64(c%3)))
	}
	// A tick in the consent box and a cross on "so-so".
	strokes = append(strokes,
		inkform.Stroke{Points: []inkform.Point{{X: 21, Y: 108}, {X: 22.5, Y: 110}, {X: 25.5, Y: 105.5}}},
		inkform.Stroke{Points: []inkform.Point{{X: 50.5, Y: 125.5}, {X: 55.5, Y: 130.5}}},
		inkform.Stroke{Points: []inkform.Point{{X: 55.5, Y: 125.5}, {X: 50.5, Y: 130.5}}},
		inkform.Stroke{Points: []inkform.Point{{X: 60, Y: 212}}}, // a dot
	)
	for i := range 3 {
		strokes = append(strokes, digit(inkform.Box{X: 25 + float64(i)*25, Y: 203, W: 30, H: 18}, 1.2))
	}
	doc := &inkform.Document{
		ID: "0190a0b0-0000-7000-8000-0000000000d1", FormID: f.ID, FormVersion: f.Version,
		Status: inkform.StatusNeedsVerification, PenID: "AJX-AAB-7KH-6P",
		Pages: []inkform.DocumentPage{{Number: 1, Address: "70.3.12.5", Strokes: len(strokes)}},
		Fields: map[string]inkform.FieldValue{
			"patient_no": {Value: "00471142", Confidence: 0.97, Source: inkform.SourceICR, Valid: true},
			"visit_date": {Value: "310226", Confidence: 0.41, Source: inkform.SourceICR, Valid: false, Problems: []string{`"310226" is not a calendar date (format DDMMYY)`}},
			"consent":    {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
			"mood":       {Value: "ok", Confidence: 0.95, Source: inkform.SourcePen, Valid: true},
			"signature":  {Value: true, Confidence: 1, Source: inkform.SourcePen, Valid: true},
			"legacy":     {Value: "from an older version", Confidence: 1, Source: inkform.SourceVerifier, Valid: true},
		},
		CreatedAt: time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC),
		UpdatedAt: time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC),
	}
	di := &inkform.DocumentInk{
		DocumentID: doc.ID, PenID: doc.PenID,
		Pages:  []inkform.PageInk{{Address: "70.3.12.5", Strokes: strokes}},
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
	return doc, di
}

// makeBackground returns a PDF with pages of the sizes, each with a grey
// frame and a heading, as a designer's export would be.
func makeBackground(t testing.TB, sizes ...inkform.Size) []byte {
	t.Helper()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	pdf.SetCreationDate(time.Unix(0, 0))
	pdf.SetModificationDate(time.Unix(0, 0))
	for i, s := range sizes {
		pdf.AddPageFormat("P", fpdf.SizeType{Wd: s.W, Ht: s.H})
		pdf.SetDrawColor(150, 150, 150)
		pdf.Rect(8, 8, s.W-16, s.H-16, "D")
		pdf.SetFont("Helvetica", "B", 16)
		pdf.Text(12, 20, "BACKGROUND PAGE")
		pdf.Text(12, 28, string(rune('1'+i)))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// needTool skips the test when a command-line tool is missing.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install qpdf poppler-utils): skipping", name)
	}
	return p
}

// writeTemp writes data to a file in a test directory and returns its path.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// renderPage renders one page of a PDF with pdftoppm at dpi.
func renderPage(t testing.TB, data []byte, page, dpi int) image.Image {
	t.Helper()
	tool := needTool(t, "pdftoppm")
	in := writeTemp(t, "in.pdf", data)
	// Without an output name, pdftoppm writes the single page to stdout.
	out, err := exec.Command(tool, "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", "-png", in).Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("pdftoppm output: %v", err)
	}
	return img
}
