package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// document is a PDF being drawn page by page on the file writer: the two
// standard fonts, a background's pages (objects 1 to its count, copied
// in as prepared) and the pages drawn on a canvas.
type document struct {
	f     *file
	bg    *preparedBackground // nil without a background
	pages int                 // object number of the page tree
	res   int                 // object number of the resources every page shares
	kids  []int
	c     canvas
	open  bool // a page is being drawn on c
}

// newDocument starts a document, with bg's pages when bg is not nil.
func newDocument(bg *preparedBackground) *document {
	reserved := 0
	if bg != nil {
		reserved = len(bg.offsets)
	}
	d := &document{f: newFile(reserved), bg: bg}
	if bg != nil {
		d.f.raw(1, bg.data, bg.offsets)
	}
	d.pages, d.res = d.f.alloc(), d.f.alloc()
	d.c.b = (*contentPool.Get().(*[]byte))[:0]
	return d
}

// release gives the document's buffers back; the document is unusable
// afterwards.
func (d *document) release() {
	d.f.release()
	if cap(d.c.b) <= maxPooled {
		b := d.c.b[:0]
		contentPool.Put(&b)
	}
	d.c.b = nil
}

// addPage ends the page being drawn and starts one of the size (mm).
func (d *document) addPage(size inkform.Size) {
	d.endPage()
	d.c.reset(size.H)
	d.open = true
	n := d.f.alloc()
	d.kids = append(d.kids, n)
	d.f.object(n, fmt.Sprintf("<</Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources %d 0 R /Contents %d 0 R>>",
		d.pages, size.W*ptPerMM, size.H*ptPerMM, d.res, n+1))
	d.f.alloc() // the contents, written when the page ends
}

// endPage writes the contents of the page being drawn.
func (d *document) endPage() {
	if !d.open {
		return
	}
	d.f.stream(d.kids[len(d.kids)-1]+1, "", d.c.b)
	d.open = false
}

// drawBackground puts background page n (1-based) on the page, scaled to
// the form page's size (they differ by at most the tolerance).
func (d *document) drawBackground(n int, size inkform.Size) {
	p := d.bg.pages[n-1]
	d.c.b = append(d.c.b, "q "...)
	d.c.num(size.W * ptPerMM / p.w)
	d.c.b = append(d.c.b, "0 0 "...)
	d.c.num(size.H * ptPerMM / p.h)
	d.c.op("0 0 cm /B" + strconv.Itoa(n) + " Do Q")
}

// finish ends the last page, writes the page tree, fonts, resources,
// document information and catalogue, and then the file to w.
func (d *document) finish(w io.Writer, title, subject string, created, updated time.Time) error {
	d.endPage()
	f := d.f
	var kids strings.Builder
	for i, k := range d.kids {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", k)
	}
	f.object(d.pages, fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", kids.String(), len(d.kids)))
	fonts := [2]int{f.alloc(), f.alloc()}
	for i, name := range [2]string{"Helvetica", "Helvetica-Bold"} {
		f.object(fonts[i], "<</Type /Font /Subtype /Type1 /BaseFont /"+name+" /Encoding /WinAnsiEncoding>>")
	}
	var xobj strings.Builder
	if d.bg != nil {
		xobj.WriteString(" /XObject <<")
		for i, p := range d.bg.pages {
			fmt.Fprintf(&xobj, "/B%d %d 0 R ", i+1, p.object)
		}
		xobj.WriteString(">>")
	}
	f.object(d.res, fmt.Sprintf("<</ProcSet [/PDF /Text /ImageB /ImageC /ImageI] /Font <</F1 %d 0 R /F2 %d 0 R>>%s>>",
		fonts[0], fonts[1], xobj.String()))
	epoch := time.Unix(0, 0).UTC()
	if created.IsZero() {
		created = epoch
	}
	if updated.IsZero() {
		updated = created
	}
	info := f.alloc()
	f.object(info, "<</Producer (inkform) /Creator (inkform) /Title "+textString(title)+" /Subject "+textString(subject)+
		" /CreationDate "+pdfDate(created)+" /ModDate "+pdfDate(updated)+">>")
	root := f.alloc()
	f.object(root, fmt.Sprintf("<</Type /Catalog /Pages %d 0 R>>", d.pages))
	return f.finish(w, root, info)
}
