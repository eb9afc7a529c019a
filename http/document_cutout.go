package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// handleDocumentCutout returns the handler of GET
// /api/v1/documents/{id}/fields/{name}/cutout.{format}: the field's ink on
// the drawn form layout, cropped to the field with a margin, at ?dpi=
// (DefaultCutoutDPI when absent), drawn and cached by the CutoutService.
func (s *Server) handleDocumentCutout(format string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Cutouts == nil {
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
		c, err := s.Cutouts.FindCutout(r.Context(), org, id, r.PathValue("name"), format, dpi)
		if err != nil {
			return err
		}
		// The key names all a cutout depends on, so it is the ETag,
		// known without drawing anything.
		if notModified(w, r, strconv.Quote(strings.TrimPrefix(c.Key, inkform.DocumentBlobPrefix(org, id)))) {
			return nil
		}
		// Recorded before the image is served; a 304 shows nothing new,
		// so it is not.
		if err := s.auditRead(r, "document", id, "cutout "+c.Field+"."+format); err != nil {
			return err
		}
		rc, info, err := s.Cutouts.OpenCutout(r.Context(), c)
		if err != nil {
			return err
		}
		defer rc.Close()
		return streamBlob(w, rc, info, c.ContentType)
	}
}

// cutoutDPI reads ?dpi=, DefaultCutoutDPI when absent.
func cutoutDPI(r *http.Request) (int, error) {
	v := r.URL.Query().Get("dpi")
	if v == "" {
		return inkform.DefaultCutoutDPI, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < inkform.MinCutoutDPI || n > inkform.MaxCutoutDPI {
		return 0, invalidParam("dpi", "must be an integer from %d to %d", inkform.MinCutoutDPI, inkform.MaxCutoutDPI)
	}
	return n, nil
}
