package ui

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf"
)

// moduleRef finds what background.js loads besides the page's links:
// pdf.js, its worker and the background PDF.
var moduleRef = regexp.MustCompile(`data-(?:pdfjs|pdfjs-worker|background)="([^"]+)"`)

// TestStationWeightBackground weighs what a background adds to the
// station on the sample form, with the form's own printed blank as its
// background (docs/performance.md): the extra static files, pdf.js and
// its worker, and the PDF, as served and gzipped. The static files are
// cached for a year and the PDF for a form version, so only the first
// station of a form pays them.
//
//	go test ./ui -run TestStationWeightBackground -v
func TestStationWeightBackground(t *testing.T) {
	t.Parallel()
	b, form, id := woundStation(t)
	plain := b.get("/verify/documents/" + id)
	var blank bytes.Buffer
	if err := pdf.Blank(context.Background(), &blank, form, nil); err != nil {
		t.Fatal(err)
	}
	bg, err := pdf.Printer{}.NormalizeBackground(blank.Bytes(), form)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.h.blobs.Put(context.Background(), inkform.FormBackgroundKey(form.OrgID, form.ID, form.Version), bytes.NewReader(bg), int64(len(bg)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	p := b.get("/verify/documents/" + id)
	p.wantStatus(t, "the station with a background", 200)
	before := map[string]bool{}
	for _, m := range staticRef.FindAllStringSubmatch(plain.body, -1) {
		before[m[1]] = true
	}
	var urls []string
	for _, m := range append(staticRef.FindAllStringSubmatch(p.body, -1), moduleRef.FindAllStringSubmatch(p.body, -1)...) {
		if u := strings.ReplaceAll(m[1], "&amp;", "&"); !before[u] {
			urls = append(urls, u)
		}
	}
	raw, packed := 0, 0
	for _, u := range urls {
		r := b.get(u)
		r.wantStatus(t, u, 200)
		z := gzipLen(r.body)
		t.Logf("%s: %d bytes, %d gzipped", u[:strings.IndexByte(u+"?", '?')], len(r.body), z)
		raw, packed = raw+len(r.body), packed+z
	}
	t.Logf("a background adds %d bytes (%d gzipped) in %d files, HTML %+d bytes", raw, packed, len(urls), len(p.body)-len(plain.body))
	if len(urls) != 5 || raw < 1<<20 {
		t.Errorf("a background loads %q, %d bytes; want background.css and .js, pdf.js, its worker and the PDF", urls, raw)
	}
}

// gzipLen is what s weighs gzipped at the default level, as a server or
// proxy that compresses would send it. Writing to memory cannot fail.
func gzipLen(s string) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return buf.Len()
}
