// Package cutout draws field cutouts: a field's ink on the drawn form layout,
// cropped to the field with a margin, as PNG or SVG. It implements
// inkform.CutoutService over the document and form stores, with the blob
// store as its cache.
//
// Strokes go to fields by ink.Assign with the interpreter's rules, so a
// cutout shows exactly the ink the field's value was read from.
package cutout

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// contentTypes are the media types of the cutout formats.
var contentTypes = map[string]string{inkform.CutoutPNG: "image/png", inkform.CutoutSVG: "image/svg+xml"}

// Service is inkform.CutoutService. A cutout is cached in Blobs under the
// SHA-256 of the document's ink (inkform.CutoutKey), so new ink gives new
// keys and the old cutouts are dropped by the next render. Fill in the
// stores; a Service is safe for concurrent use and must not be copied.
type Service struct {
	Documents inkform.DocumentService
	Forms     inkform.FormService
	Blobs     inkform.BlobStore
	// Logger receives cache failures, which cost a later render but not
	// the answer; nil means slog.Default().
	Logger *slog.Logger

	// renderer keeps the rasteriser's buffers between cutouts.
	renderer ink.Renderer
}

var _ inkform.CutoutService = (*Service)(nil)

// FindCutout implements inkform.CutoutService.
func (s *Service) FindCutout(ctx context.Context, orgID, documentID, field, format string, dpi int) (*inkform.Cutout, error) {
	contentType, ok := contentTypes[format]
	if !ok {
		return nil, inkform.Errorf(inkform.EINVALID, "a cutout is png or svg, not %q", format)
	}
	if dpi < inkform.MinCutoutDPI || dpi > inkform.MaxCutoutDPI {
		return nil, inkform.Errorf(inkform.EINVALID, "a cutout's dpi is from %d to %d, not %d", inkform.MinCutoutDPI, inkform.MaxCutoutDPI, dpi)
	}
	doc, err := s.Documents.FindDocument(ctx, orgID, documentID)
	if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	form, err := s.Forms.FindFormVersion(ctx, orgID, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	f, v, err := fieldView(form, field)
	if err != nil {
		return nil, err
	}
	if err := checkPixels(f.Name, v, dpi); err != nil {
		return nil, err
	}
	// A document without ink (a digital one) still has a cutout: the
	// empty layout, which shows a verifier there is nothing to read.
	di, err := s.Documents.FindDocumentInk(ctx, orgID, documentID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return nil, fmt.Errorf("find ink: %w", err)
	}
	sha := ""
	if di != nil {
		sha = di.SHA256
	}
	return &inkform.Cutout{
		OrgID: orgID, DocumentID: documentID, Field: f.Name, Format: format, DPI: dpi,
		Key:         inkform.CutoutKey(orgID, documentID, sha, f.Name, dpi, format),
		ContentType: contentType,
		Form:        form, Document: doc, Ink: di,
	}, nil
}

// OpenCutout implements inkform.CutoutService.
func (s *Service) OpenCutout(ctx context.Context, c *inkform.Cutout) (io.ReadCloser, *inkform.BlobInfo, error) {
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if rc, info, err := s.Blobs.Get(ctx, c.Key); err == nil {
		// The stored type may be the store's default; the format is
		// what the key says.
		info.ContentType = c.ContentType
		return rc, info, nil
	} else if inkform.ErrorCode(err) != inkform.ENOTFOUND {
		logger.WarnContext(ctx, "cutout cache read failed", slog.String("key", c.Key), slog.Any("err", err))
	}
	f, v, err := fieldView(c.Form, c.Field)
	if err != nil {
		return nil, nil, err
	}
	data, err := render(&s.renderer, c, f, v)
	if err != nil {
		return nil, nil, err
	}
	// A failed cache write costs a later render, not this answer.
	if err := s.Blobs.Put(ctx, c.Key, bytes.NewReader(data), int64(len(data)), c.ContentType); err != nil {
		logger.WarnContext(ctx, "cutout cache write failed", slog.String("key", c.Key), slog.Any("err", err))
	} else if _, err := s.Documents.FindDocument(ctx, c.OrgID, c.DocumentID); inkform.ErrorCode(err) == inkform.ENOTFOUND {
		// Purged while this cutout was drawn: the purge may have listed
		// the document's objects before this one was stored.
		_ = s.Blobs.Delete(ctx, c.Key)
	}
	info := &inkform.BlobInfo{Key: c.Key, Size: int64(len(data)), ContentType: c.ContentType}
	return io.NopCloser(bytes.NewReader(data)), info, nil
}

// fieldView returns the named field of the form and the part of its page
// that the field's cutout shows, clipped to the page: beyond it there is
// nothing to see, and a view grown past it would only cost pixels.
func fieldView(form *inkform.Form, name string) (*inkform.Field, inkform.Box, error) {
	f := form.Field(name)
	if f == nil {
		return nil, inkform.Box{}, inkform.Errorf(inkform.ENOTFOUND, "the document's form has no field %q", name)
	}
	v, ok := viewOf(f)
	if ok && f.Page >= 1 && f.Page <= len(form.Pages) {
		size := form.Pages[f.Page-1].Size
		v, ok = clip(v, inkform.Box{W: size.W, H: size.H})
	}
	if !ok {
		return nil, inkform.Box{}, inkform.Errorf(inkform.EUNPROCESSABLE, "field %q has no box to cut out", name)
	}
	return f, v, nil
}

// clip returns the part of v inside page; ok is false when none is.
func clip(v, page inkform.Box) (inkform.Box, bool) {
	x0, y0 := max(v.X, page.X), max(v.Y, page.Y)
	x1, y1 := min(v.X+v.W, page.X+page.W), min(v.Y+v.H, page.Y+page.H)
	if !(x1 > x0 && y1 > y0) {
		return inkform.Box{}, false
	}
	return inkform.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}, true
}

// checkPixels refuses a cutout larger than MaxCutoutPixels before anything
// is allocated for it, naming the highest dpi at which this field fits.
func checkPixels(name string, v inkform.Box, dpi int) error {
	w, h := math.Round(v.W*float64(dpi)/25.4), math.Round(v.H*float64(dpi)/25.4)
	if w*h <= inkform.MaxCutoutPixels {
		return nil
	}
	fit := int(25.4 * math.Sqrt(inkform.MaxCutoutPixels/(v.W*v.H)))
	return inkform.Errorf(inkform.EINVALID, "a cutout of field %q at %d dpi is %gx%g pixels, more than %d; ask for dpi=%d or less",
		name, dpi, w, h, inkform.MaxCutoutPixels, fit)
}
