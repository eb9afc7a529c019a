package ui

import (
	"io"
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// stationDPI is the resolution of the station's cutouts: sharp enough to
// tell a 1 from a 7 at the panel's size, small enough to keep the page
// light.
const stationDPI = 150

// handleVerifyCutout serves GET /verify/documents/{id}/fields/{name}/
// cutout.png: the field's ink as the API's cutout route draws it, always
// of the session's org, so a document ID of another org finds nothing.
func (s *Server) handleVerifyCutout(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Cutouts == nil {
		http.NotFound(w, r)
		return nil
	}
	ctx := r.Context()
	c, err := s.Cutouts.FindCutout(ctx, v.Org.ID, r.PathValue("id"), r.PathValue("name"), inkform.CutoutPNG, stationDPI)
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.ENOTFOUND, inkform.EUNPROCESSABLE, inkform.EINVALID:
		http.NotFound(w, r)
		return nil
	default:
		return err
	}
	// The key names all a cutout depends on: the ETag, known without
	// drawing anything.
	etag := strconv.Quote(c.Key)
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	// Recorded before the image is served; a 304 shows nothing new.
	if err := s.auditRead(r, v, c.DocumentID, "cutout "+c.Field+".png"); err != nil {
		return err
	}
	rc, info, err := s.Cutouts.OpenCutout(ctx, c)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", c.ContentType)
	if info != nil && info.Size > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	}
	_, err = io.Copy(w, rc)
	if err != nil {
		s.Logger.WarnContext(ctx, "cutout not sent", "err", err)
	}
	return nil
}
