package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf/pdftest"
)

// needTool returns the path of a command-line tool or skips the test.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return p
}

// isInk reports whether a pixel has the dark blue of rendered ink (the grey
// form layout and the red values do not).
func isInk(r, g, b uint32) bool {
	r, g, b = r>>8, g>>8, b>>8
	return b > 90 && b > r+50 && b > g+40
}

// inkPixels counts ink-coloured pixels of img inside the box (mm), for a
// picture whose top-left is at origin (mm) and that has dpi pixels per inch.
func inkPixels(img image.Image, box inkform.Box, origin [2]float64, dpi float64) int {
	s := dpi / 25.4
	r := image.Rect(int((box.X-origin[0])*s), int((box.Y-origin[1])*s),
		int((box.X+box.W-origin[0])*s), int((box.Y+box.H-origin[1])*s)).Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); isInk(r, g, b) {
				n++
			}
		}
	}
	return n
}

// pdfPage1 renders the first page of a PDF with pdftoppm at dpi.
func pdfPage1(t *testing.T, data []byte, dpi int) image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(needTool(t, "pdftoppm"), "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	return decodePNG(t, readFile(t, filepath.Join(dir, "page.png")))
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// qpdf runs qpdf with args on the PDF and returns its output; --check
// failing fails the test.
func qpdf(t *testing.T, data []byte, args ...string) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(needTool(t, "qpdf"), append(args, in)...).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf %v: %v: %s", args, err, out)
	}
	return string(out)
}

// waitPDF polls GET …/pdf until it answers 200, checking the 202s on the way.
func waitPDF(t *testing.T, s *server, id, token string) response {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := s.call(t, "GET", "/api/v1/documents/"+id+"/pdf", token, "", nil)
		switch {
		case r.status == 200:
			return r
		case r.status != 202:
			t.Fatalf("GET pdf: %d %s", r.status, r.body)
		case r.header.Get("Retry-After") == "":
			t.Fatalf("202 without Retry-After")
		case time.Now().After(deadline):
			t.Fatalf("the PDF was not ready within 15 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestInkToPDFAndCutouts(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "gateway")
	other := s.org(t, "rival", "admin")
	formID := createSampleForm(t, s, tok["admin"])

	// A printed blank page is a valid background; two pages are not.
	r := s.call(t, "GET", "/api/v1/forms/"+formID+"/print.pdf?copies=2", tok["admin"], "", nil)
	want(t, r, 200, "print 2 copies")
	if n := strings.TrimSpace(qpdf(t, r.body, "--show-npages")); n != "2" {
		t.Fatalf("print.pdf?copies=2 has %s pages", n)
	}
	r = s.call(t, "PUT", "/api/v1/forms/"+formID+"/background", tok["admin"], "application/pdf", r.body)
	want(t, r, 422, "background with two pages for a one-page form")
	r = s.call(t, "GET", "/api/v1/forms/"+formID+"/print.pdf", tok["admin"], "", nil)
	want(t, r, 200, "print")
	qpdf(t, r.body, "--check")
	blank := r.body
	want(t, s.call(t, "PUT", "/api/v1/forms/"+formID+"/background", other["admin"], "application/pdf", blank), 404, "another org's background")
	want(t, s.call(t, "PUT", "/api/v1/forms/"+formID+"/background", tok["admin"], "text/plain", blank), 415, "background as text")
	want(t, s.call(t, "PUT", "/api/v1/forms/"+formID+"/background", tok["admin"], "application/pdf", blank), 200, "background")

	r = s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID
	doc := "/api/v1/documents/" + id

	// A PDF asked for before the interpretation shows the received state;
	// wait for the interpreted one, which stays current.
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		var d struct{ Status string }
		s.call(t, "GET", doc, tok["admin"], "", nil).json(t, &d)
		if d.Status != "received" {
			break
		} else if time.Since(start) > 10*time.Second {
			t.Fatal("the document was not interpreted within 10 s")
		}
	}
	r = waitPDF(t, s, id, tok["admin"])
	if ct := r.header.Get("Content-Type"); ct != "application/pdf" || r.header.Get("ETag") == "" {
		t.Errorf("pdf answer: Content-Type %q, ETag %q", ct, r.header.Get("ETag"))
	}
	qpdf(t, r.body, "--check")
	page := pdfPage1(t, r.body, 50)
	if b := page.Bounds(); b.Dx() < 400 || b.Dx() > 420 {
		t.Fatalf("page 1 at 50 dpi is %d px wide, want about 413 (A4)", b.Dx())
	}
	zero := [2]float64{0, 0}
	if n := inkPixels(page, inkform.Box{X: 20, Y: 30, W: 60, H: 10}, zero, 50); n < 40 {
		t.Errorf("%d ink pixels in the patient_no box, want the digits (at least 40)", n)
	}
	if n := inkPixels(page, inkform.Box{X: 110, Y: 100, W: 90, H: 140}, zero, 50); n != 0 {
		t.Errorf("%d ink pixels in an empty part of the page", n)
	}
	if r2 := s.callWithHeader(t, "GET", doc+"/pdf", tok["admin"], "", nil, "If-None-Match", r.header.Get("ETag")); r2.status != 304 {
		t.Errorf("If-None-Match with the ETag %s: %d, ETag %s", r.header.Get("ETag"), r2.status, r2.header.Get("ETag"))
		t.Logf("history after the mismatch: %s", s.call(t, "GET", doc+"/history", tok["admin"], "", nil).body)
		t.Logf("jobs after the mismatch: %s", s.call(t, "GET", "/api/v1/jobs", tok["admin"], "", nil).body)
	}

	// The patient number's cutout: 60x10 mm box + 3 mm margin at 100 dpi.
	r = s.call(t, "GET", doc+"/fields/patient_no/cutout.png?dpi=100", tok["admin"], "", nil)
	want(t, r, 200, "patient_no cutout")
	img := decodePNG(t, r.body)
	if b := img.Bounds(); b.Dx() != 260 || b.Dy() != 63 {
		t.Errorf("cutout is %dx%d px, want 260x63", b.Dx(), b.Dy())
	}
	if n := inkPixels(img, inkform.Box{X: 17, Y: 27, W: 66, H: 16}, [2]float64{17, 27}, 100); n < 100 {
		t.Errorf("patient_no cutout has %d ink pixels", n)
	}
	cached := s.call(t, "GET", doc+"/fields/patient_no/cutout.png?dpi=100", tok["admin"], "", nil)
	if !bytes.Equal(cached.body, r.body) {
		t.Error("the cached cutout differs from the first")
	}
	if r2 := s.callWithHeader(t, "GET", doc+"/fields/patient_no/cutout.png?dpi=100", tok["admin"], "", nil, "If-None-Match", r.header.Get("ETag")); r2.status != 304 || r.header.Get("ETag") == "" {
		t.Errorf("cutout If-None-Match %q: %d", r.header.Get("ETag"), r2.status)
	}

	// Pain: "some" (x 40–46) is ticked, "none" (x 20–26) is not, and the
	// dressing tick just above does not belong to this field.
	r = s.call(t, "GET", doc+"/fields/pain/cutout.png?dpi=100", tok["admin"], "", nil)
	want(t, r, 200, "pain cutout")
	img = decodePNG(t, r.body)
	origin := [2]float64{17, 57}
	if n := inkPixels(img, inkform.Box{X: 38, Y: 57, W: 11, H: 12}, origin, 100); n < 20 {
		t.Errorf("pain cutout has %d ink pixels at the ticked option", n)
	}
	if n := inkPixels(img, inkform.Box{X: 17, Y: 57, W: 20, H: 12}, origin, 100); n != 0 {
		t.Errorf("pain cutout has %d ink pixels away from its tick", n)
	}
	r = s.call(t, "GET", doc+"/fields/pain/cutout.svg", tok["admin"], "", nil)
	want(t, r, 200, "pain svg")
	if !strings.HasPrefix(string(r.body), "<svg") || !strings.Contains(string(r.body), "<path") {
		t.Errorf("svg cutout: %.200s", r.body)
	}

	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", doc + "/fields/nope/cutout.png", 404},
		{"GET", doc + "/fields/pain/cutout.png?dpi=5000", 400},
		{"GET", "/api/v1/forms/" + formID + "/print.pdf?copies=0", 400},
	} {
		if r := s.call(t, tc.method, tc.path, tok["admin"], "", nil); r.status != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, r.status, tc.status)
		}
	}
	// Another org sees none of it.
	for _, p := range []string{doc + "/pdf", doc + "/fields/pain/cutout.png", doc + "/fields/pain/cutout.svg", "/api/v1/forms/" + formID + "/print.pdf"} {
		if r := s.call(t, "GET", p, other["admin"], "", nil); r.status != 404 {
			t.Errorf("another org's GET %s: %d", p, r.status)
		}
	}
}

func TestPrintUniquePattern(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "verifier")
	tmpl := strings.Replace(string(readFile(t, "../../examples/wound-check.json")), `"copied"`, `"unique"`, 1)
	tmpl = strings.Replace(tmpl, `, "address": "70.3.12.5"`, "", 1)
	r := s.call(t, "POST", "/api/v1/forms", tok["admin"], "application/json", []byte(tmpl))
	want(t, r, 201, "create unique form")
	var form struct{ ID string }
	r.json(t, &form)

	want(t, s.call(t, "GET", "/api/v1/forms/"+form.ID+"/print.pdf?copies=2", tok["verifier"], "", nil), 403, "verifier allocating copies")
	r = s.call(t, "GET", "/api/v1/forms/"+form.ID+"/print.pdf?copies=3", tok["admin"], "", nil)
	want(t, r, 200, "print 3 unique copies")
	qpdf(t, r.body, "--check")
	if n := strings.TrimSpace(qpdf(t, r.body, "--show-npages")); n != "3" {
		t.Errorf("3 copies of a one-page form gave %s pages", n)
	}
	if r.header.Get("Inkform-Copies") != "3" || r.header.Get("Inkform-First-Copy") != "1" {
		t.Errorf("copy headers %q %q", r.header.Get("Inkform-First-Copy"), r.header.Get("Inkform-Copies"))
	}
	// A second print run gets new copies, with new addresses.
	r2 := s.call(t, "GET", "/api/v1/forms/"+form.ID+"/print.pdf?copies=1", tok["admin"], "", nil)
	want(t, r2, 200, "print once more")
	if r2.header.Get("Inkform-First-Copy") != "4" {
		t.Errorf("second run starts at copy %q, want 4", r2.header.Get("Inkform-First-Copy"))
	}
}

// TestBackgroundBombRefused checks the background upload of a small PDF
// whose page contents inflate past MaxBackgroundInflatedBytes: 422 naming
// the limit and the object.
func TestBackgroundBombRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "designer")
	formID := createSampleForm(t, s, tok["designer"])
	bomb := pdftest.Bomb(pdftest.Contents, 1, inkform.MaxBackgroundInflatedBytes+1<<20)
	r := s.call(t, "PUT", "/api/v1/forms/"+formID+"/background", tok["designer"], "application/pdf", bomb)
	want(t, r, 422, "a background inflating past the limit")
	var p struct {
		Detail   string `json:"detail"`
		Problems []struct{ Path, Message string }
	}
	r.json(t, &p)
	if !strings.Contains(p.Detail, "64 MiB") || len(p.Problems) == 0 || !strings.Contains(p.Problems[0].Message, "by object 4") {
		t.Errorf("the answer does not name the limit and the object: %s", r.body)
	}
}
