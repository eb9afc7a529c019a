package ui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// markedPDF is a one-page PDF of w × h millimetres, white but for a black
// rectangle at mark (millimetres from the top left, as forms measure).
func markedPDF(w, h float64, mark inkform.Box) []byte {
	pt := func(mm float64) float64 { return mm * 72 / 25.4 }
	content := fmt.Sprintf("0 0 0 rg %.2f %.2f %.2f %.2f re f\n", pt(mark.X), pt(h-mark.Y-mark.H), pt(mark.W), pt(mark.H))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R /Resources << >> >>", pt(w), pt(h)),
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// backgroundMark is where the test background is black: top right of the
// intake form's A4 page, clear of its boxes and ink.
var backgroundMark = inkform.Box{X: 150, Y: 20, W: 45, H: 60}

// putBackground stores a background for the intake form's version 1, as
// PUT /api/v1/forms/{id}/background does.
func (c *clinic) putBackground(t *testing.T) []byte {
	t.Helper()
	pdf := markedPDF(210, 297, backgroundMark)
	key := inkform.FormBackgroundKey(c.org.ID, "01form0intake", 1)
	if err := c.blobs.Put(context.Background(), key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	return pdf
}

var backgroundLink = regexp.MustCompile(`data-background="([^"]+)"`)

// TestVerifyBackground: the station links a form's uploaded background
// and its script only when there is one; the route serves the PDF to the
// org's verifiers (cached by its tag), and nothing to another org, a
// designer, or when the form has no background.
func TestVerifyBackground(t *testing.T) {
	t.Parallel()
	const path = "/verify/forms/01form0intake/versions/1/background.pdf"
	c := newClinic(t, 2)
	ann := c.signedIn(t, "ann@example.org")
	ann.get(path).wantStatus(t, "a form without a background", http.StatusNotFound)
	plain := ann.get("/verify/documents/" + c.docs[0])
	plain.wantStatus(t, "the station without a background", http.StatusOK)
	if strings.Contains(plain.body, "data-background") || strings.Contains(plain.body, "/static/background.") || strings.Contains(plain.body, "pdfjs") {
		t.Error("a station without a background links one, or its script")
	}

	pdf := c.putBackground(t)
	p := ann.get("/verify/documents/" + c.docs[0])
	p.wantStatus(t, "the station with a background", http.StatusOK)
	m := backgroundLink.FindStringSubmatch(p.body)
	if m == nil || !strings.HasPrefix(m[1], path+"?v=") {
		t.Fatalf("the station links no background: %v", m)
	}
	for _, want := range []string{`src="/static/background.js?v=`, `href="/static/background.css?v=`, `data-pdfjs="/static/vendor/pdfjs/pdf.min.mjs?v=`, `data-pdfjs-worker="/static/vendor/pdfjs/pdf.worker.min.mjs?v=`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the station lacks %q", want)
		}
	}
	url := strings.ReplaceAll(m[1], "&amp;", "&")
	bg := ann.get(url)
	bg.wantStatus(t, "the background", http.StatusOK)
	if bg.body != string(pdf) || bg.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the background: %q, %d bytes, want the %d stored", bg.Header.Get("Content-Type"), len(bg.body), len(pdf))
	}
	if cc := bg.Header.Get("Cache-Control"); cc != "private, max-age=31536000, immutable" {
		t.Errorf("the linked background's Cache-Control: %q", cc)
	}
	if cc := ann.get(path).Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("an unversioned background's Cache-Control: %q", cc)
	}
	ann.do("GET", url, nil, "If-None-Match", bg.Header.Get("ETag")).wantStatus(t, "the background again", http.StatusNotModified)

	c.org2(t).get(url).wantStatus(t, "another org's background", http.StatusNotFound)
	ann.get("/verify/forms/01form0intake/versions/2/background.pdf").wantStatus(t, "a version that does not exist", http.StatusNotFound)
	ann.get("/verify/forms/01form0intake/versions/x/background.pdf").wantStatus(t, "a version that is no number", http.StatusNotFound)
	c.user(c.org, "dee@example.org", inkform.RoleDesigner, password)
	c.signedIn(t, "dee@example.org").get(url).wantStatus(t, "a designer", http.StatusForbidden)

	// Removed: the route finds nothing and the station links nothing.
	if err := c.blobs.Delete(context.Background(), inkform.FormBackgroundKey(c.org.ID, "01form0intake", 1)); err != nil {
		t.Fatal(err)
	}
	ann.get(url).wantStatus(t, "a removed background", http.StatusNotFound)
	if strings.Contains(ann.get("/verify/documents/"+c.docs[0]).body, "data-background") {
		t.Error("the station links a removed background")
	}
}

// TestStaticVendorModules: the vendored pdf.js is served from its folder
// as JavaScript (browsers refuse a module of another type), at a
// versioned URL cached for good, and the policy lets it start its worker.
func TestStaticVendorModules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	for _, name := range []string{"vendor/pdfjs/pdf.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs", "background.js"} {
		u, err := h.srv.static.url(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := b.get(u)
		p.wantStatus(t, name, http.StatusOK)
		if ct := p.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("%s served as %q", name, ct)
		}
		if cc := p.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s cached as %q", name, cc)
		}
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "worker-src 'self'") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("the policy: %q", csp)
		}
	}
	b.get("/static/vendor/pdfjs/README.md").wantStatus(t, "the vendoring note", http.StatusNotFound)
}
