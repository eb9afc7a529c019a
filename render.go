package inkform

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Render limits, kept here once for the HTTP layer, which refuses requests
// beyond them, and the pdf package, which refuses to render beyond them.
const (
	// MaxBackgroundBytes limits a background PDF: a printed form is a few
	// hundred kilobytes; more is a scan that should be a smaller file.
	MaxBackgroundBytes = 20 << 20
	// MaxBackgroundInflatedBytes limits what the compressed streams of a
	// background PDF inflate to, images aside, and separately what its
	// pages' contents inflate to, counting a content stream once for each
	// page that draws it. Those are what the server inflates into memory
	// (the PDF importer several times over) when it renders a document on
	// the form. A designer's form has well under a megabyte of page
	// content and a few megabytes of fonts; a few megabytes of compressed
	// zeros inflate to gigabytes.
	MaxBackgroundInflatedBytes = 64 << 20
	// MaxPrintCopies limits one printable-form request and one blank PDF;
	// larger print runs are split into batches.
	MaxPrintCopies = 1000
	// MaxPrintMarks bounds the drawing of one printable-form request:
	// copies × Form.PrintMarks. It keeps the largest legal form with many
	// copies (hundreds of millions of marks, gigabytes) from taking a
	// node; small forms still print MaxPrintCopies at once.
	MaxPrintMarks = 500_000
	// DefaultCutoutDPI is a cutout's resolution when none is asked for;
	// MinCutoutDPI and MaxCutoutDPI bound it: 200 dpi shows handwriting
	// clearly, below 25 a digit is a few pixels, beyond 600 a cutout only
	// gets bigger.
	DefaultCutoutDPI = 200
	MinCutoutDPI     = 25
	MaxCutoutDPI     = 600
	// MaxCutoutPixels bounds one cutout (about an A4 page at 300 dpi); a
	// larger one is refused before anything is drawn.
	MaxCutoutPixels = 9_000_000
)

// RenderPDFArgs asks for the PDF of a filled document to be made again from
// its current values and ink. It is enqueued with the document ID as unique
// key whenever the document's values or status change.
type RenderPDFArgs struct {
	DocumentID string `json:"documentId"`
}

// Kind implements JobArgs.
func (RenderPDFArgs) Kind() string { return "render_pdf" }

// InsertOpts implements JobArgsWithInsertOpts: one pending render per
// document is enough, since a job renders the document as it is when it
// runs.
func (a RenderPDFArgs) InsertOpts() EnqueueOpts {
	return EnqueueOpts{Queue: QueueRender, UniqueKey: a.DocumentID}
}

// JobDocumentID implements DocumentJobArgs.
func (a RenderPDFArgs) JobDocumentID() string { return a.DocumentID }

// DocumentRender records the PDF made of a document: which state of the
// document it shows (the document's UpdatedAt when it was read) and where
// the file is. A render is current while SourceUpdatedAt equals the
// document's UpdatedAt.
type DocumentRender struct {
	DocumentID      string
	SourceUpdatedAt time.Time
	Key             string // blob key of the PDF
	SHA256          string // hex
	Size            int64
	CreatedAt       time.Time
}

// Current reports whether the render shows the document as it is now.
func (r *DocumentRender) Current(doc *Document) bool {
	return r != nil && doc != nil && r.SourceUpdatedAt.Equal(doc.UpdatedAt)
}

// DocumentPrinter draws the PDF of a filled document: background (nil: the
// drawn form), ink and values. An error of code EINVALID or
// EUNPROCESSABLE means the input cannot be drawn, and trying again cannot
// help.
type DocumentPrinter interface {
	Filled(w io.Writer, form *Form, doc *Document, di *DocumentInk, background []byte) error
}

// RenderStore records document renders and requests new ones. Every method
// is scoped by org.
type RenderStore interface {
	// FindRender returns the latest render of a document; ENOTFOUND when
	// the org has no such document or it was never rendered.
	FindRender(ctx context.Context, orgID, documentID string) (*DocumentRender, error)
	// SaveRender records a render unless one of the same or a newer state
	// of the document is already recorded (a slow worker must not replace
	// a newer PDF, and the first render of a state keeps its ETag); it
	// reports whether it stored r. Storing it makes the document's
	// deliveries that wait for their PDF (DeliveryPDFWait) due in the same
	// commit. ENOTFOUND when the org has no such document.
	SaveRender(ctx context.Context, orgID string, r *DocumentRender) (bool, error)
	// RequestRender enqueues a RenderPDFArgs job for the document unless
	// one is still to run. ENOTFOUND when the org has no such document.
	RequestRender(ctx context.Context, orgID, documentID string) error
}

// FormPrinter makes the PDFs of a form that the API serves directly. The
// pdf package implements it; cmd/inkform wires it in, so the HTTP layer
// does not depend on the PDF library.
type FormPrinter interface {
	// NormalizeBackground checks that data is a PDF with one page of the
	// right size per form page (EUNPROCESSABLE otherwise) and returns it
	// rewritten in the form the filled-form renderer imports.
	NormalizeBackground(data []byte, form *Form) ([]byte, error)
	// Blank writes printable blank pages: one set of the form's pages per
	// copy, copies[i] holding each page's address; nil prints the form's
	// own addresses once. It stops with ctx's error when ctx ends (the
	// client left), and refuses more than MaxPrintMarks (ETOOLARGE).
	Blank(ctx context.Context, w io.Writer, form *Form, copies [][]string) error
}

// PrintMarks counts what one printed copy of the form draws: a box, comb
// divider, option box or label each count one, a page one. Drawing time
// and PDF size grow with it, so it is what print limits count.
func (f *Form) PrintMarks() int {
	n := len(f.Pages)
	for i := range f.Fields {
		fl := &f.Fields[i]
		n++ // the label
		if fl.Box != nil {
			n += 1 + max(fl.Comb-1, 0)
		}
		n += 2 * len(fl.Options) // box and label
	}
	return n
}

// Blob keys. Everything of a document lives under DocumentBlobPrefix so that
// a purge can list and delete it, and a purge proof can show the listing is
// empty.

// FormBackgroundKey is the blob key of a form version's background PDF.
// Backgrounds belong to a version because a new version may change pages.
func FormBackgroundKey(orgID, formID string, version int) string {
	return "orgs/" + orgID + "/forms/" + formID + "/v" + strconv.Itoa(version) + "/background.pdf"
}

// DocumentBlobPrefix is the prefix of every object kept for a document.
func DocumentBlobPrefix(orgID, documentID string) string {
	return "orgs/" + orgID + "/documents/" + documentID + "/"
}

// DocumentPDFKey is the blob key of a document's PDF made from the state
// at source (its UpdatedAt) with the hex SHA-256 sum of its bytes. State and
// sum are part of the key so that a record and the object it names always
// match, even when two renders of one state race: PDFs with a background
// differ in bytes from one rendering to the next (the importer writes
// dictionaries in map order), and the loser must not overwrite the
// winner's file. An empty sum leaves it out.
//
// The PDF sits directly under the document's prefix ("pdf-" rather than a
// "pdf/" folder): on a disk store every folder is one more inode to make
// per document, which some file systems make as dear as the file itself
// (docs/performance.md, ninth round). Keys of the older form ("pdf/…")
// stay valid: the render record names the key.
func DocumentPDFKey(orgID, documentID string, source time.Time, sum string) string {
	key := DocumentBlobPrefix(orgID, documentID) + "pdf-" + strconv.FormatInt(source.UnixMicro(), 10)
	if sum != "" {
		key += "-" + sum[:min(len(sum), 16)]
	}
	return key + ".pdf"
}

// CutoutPrefix is the prefix of a document's cutouts of one state of its
// ink: when the ink changes, everything under the document's "cutouts/"
// that does not start with it is stale.
func CutoutPrefix(orgID, documentID, inkSHA256 string) string {
	if len(inkSHA256) > 16 {
		inkSHA256 = inkSHA256[:16]
	}
	if inkSHA256 == "" {
		inkSHA256 = "noink"
	}
	return DocumentBlobPrefix(orgID, documentID) + "cutouts/" + inkSHA256 + "/"
}

// CutoutKey is the blob key of a cached field cutout; format is "png" or
// "svg".
func CutoutKey(orgID, documentID, inkSHA256, field string, dpi int, format string) string {
	return CutoutPrefix(orgID, documentID, inkSHA256) + fmt.Sprintf("%s@%d.%s", field, dpi, format)
}
