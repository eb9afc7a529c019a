package inkform

import (
	"context"
	"io"
)

// Cutout formats, the file extensions of the cutout routes.
const (
	CutoutPNG = "png"
	CutoutSVG = "svg"
)

// Cutout is one image of a field of a document: the field's ink on the drawn
// form layout, cropped to the field with a margin. FindCutout fills it in
// without drawing; OpenCutout draws it or takes it from the cache.
type Cutout struct {
	OrgID      string
	DocumentID string
	Field      string
	Format     string // CutoutPNG or CutoutSVG
	DPI        int
	// Key is the blob key the image is cached under (CutoutKey). It names
	// the state of the ink, the field, the resolution and the format: all
	// a cutout depends on besides the form version, which a document never
	// changes. So it also tells a client whether its copy is current.
	Key string
	// ContentType is the image's media type.
	ContentType string
	// Form, Document and Ink are what the cutout is drawn from, as read by
	// FindCutout; Ink is nil for a document without ink.
	Form     *Form
	Document *Document
	Ink      *DocumentInk
}

// CutoutService draws field cutouts, which show a verifier the ink a value
// was read from, and caches them in the blob store under the document's
// prefix, so that a purge deletes them. Every method is scoped by org.
//
// It is split in two so that a caller can answer from a client's cache,
// or record who looked, between finding a cutout and drawing it.
type CutoutService interface {
	// FindCutout reads what a cutout of the document's field is drawn
	// from. ENOTFOUND when the org has no such document or its form no
	// such field, EUNPROCESSABLE when the field has no box to cut out,
	// EINVALID for another format or a dpi outside MinCutoutDPI to
	// MaxCutoutDPI.
	FindCutout(ctx context.Context, orgID, documentID, field, format string, dpi int) (*Cutout, error)
	// OpenCutout returns the image and its size and content type: cached,
	// or drawn now and cached for the next caller. The caller closes it.
	OpenCutout(ctx context.Context, c *Cutout) (io.ReadCloser, *BlobInfo, error)
}
