package http

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// cutoutTypes are the formats of GET …/fields/{name}/cutout.{png|svg}.
var cutoutTypes = map[string]string{"png": "image/png", "svg": "image/svg+xml"}

// handleDocumentCutout returns the subscription of GET
// /api/v1/documents/{id}/fields/{name}/cutout.{format}: the field's ink on
// the drawn form layout, cropped to the field with a margin, at ?dpi=
// (DefaultCutoutDPI when absent). A cutout is cached in the blob store under
// the SHA-256 of the document's ink, so new ink gives new keys and the old
// cutouts are dropped by the next render job.
func (s *Server) handleDocumentCutout(format string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Blobs == nil {
			return errNoBlobs()
		}
		org, err := orgID(r)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		dpi, err := cutoutDPI(r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		doc, err := s.Documents.FindDocument(ctx, org, id)
		if err != nil {
			return err
		}
		form, err := s.Forms.FindFormVersion(ctx, org, doc.FormID, doc.FormVersion)
		if err != nil {
			return err
		}
		name := r.PathValue("name")
		field := form.Field(name)
		if field == nil {
			return inkform.Errorf(inkform.ENOTFOUND, "the document's form has no field %q", name)
		}
		view, ok := cutoutView(field)
		if !ok {
			return inkform.Errorf(inkform.EUNPROCESSABLE, "field %q has no box to cut out", name)
		}
		di, err := s.Documents.FindDocumentInk(ctx, org, id)
		if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
			return err
		}
		sha := ""
		if di != nil {
			sha = di.SHA256
		}
		key := inkform.CutoutKey(org, id, sha, field.Name, dpi, format)
		// The key names the ink, field, resolution and format: all a
		// cutout depends on besides the form version, which a document
		// never changes.
		if notModified(w, r, strconv.Quote(key[len(inkform.DocumentBlobPrefix(org, id)):])) {
			return nil
		}
		// Recorded before either way of serving it; a 304 shows nothing
		// new, so it is not.
		if err := s.auditRead(r, "document", id, "cutout "+field.Name+"."+format); err != nil {
			return err
		}
		if rc, info, err := s.Blobs.Get(ctx, key); err == nil {
			defer rc.Close()
			return streamBlob(w, rc, info, cutoutTypes[format])
		} else if inkform.ErrorCode(err) != inkform.ENOTFOUND {
			s.Logger.WarnContext(ctx, "cutout cache read failed", slog.String("key", key), slog.Any("err", err))
		}
		var buf bytes.Buffer
		strokes := fieldStrokes(form, doc, di, field)
		bg := cutoutBackground(form, field.Page, view, float64(dpi))
		if format == "svg" {
			err = ink.RenderSVG(&buf, strokes, view, float64(dpi), bg)
		} else {
			err = s.cutouts.RenderPNG(&buf, strokes, view, float64(dpi), bg)
		}
		if err != nil {
			return err
		}
		// A failed cache write costs a later render, not this answer.
		if err := s.Blobs.Put(ctx, key, bytes.NewReader(buf.Bytes()), int64(buf.Len()), cutoutTypes[format]); err != nil {
			s.Logger.WarnContext(ctx, "cutout cache write failed", slog.String("key", key), slog.Any("err", err))
		} else if _, err := s.Documents.FindDocument(ctx, org, id); inkform.ErrorCode(err) == inkform.ENOTFOUND {
			// Purged while this cutout was drawn: the purge may have
			// listed the document's objects before this one was stored.
			_ = s.Blobs.Delete(ctx, key)
		}
		w.Header().Set("Content-Type", cutoutTypes[format])
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.WriteHeader(http.StatusOK)
		w.Write(buf.Bytes()) // a failed write is the client gone; nothing to answer
		return nil
	}
}

// cutoutDPI reads ?dpi=, DefaultCutoutDPI when absent.
func cutoutDPI(r *http.Request) (int, error) {
	v := r.URL.Query().Get("dpi")
	if v == "" {
		return inkform.DefaultCutoutDPI, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 25 || n > inkform.MaxCutoutDPI {
		return 0, invalidParam("dpi", "must be an integer from 25 to %d", inkform.MaxCutoutDPI)
	}
	return n, nil
}
