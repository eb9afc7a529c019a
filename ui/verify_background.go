package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/inkform/inkform"
)

// backgroundTag names one upload of a form version's background: a new
// upload replaces the object, and with it its size or time. It is the
// ETag and the ?v= of the background's URL.
func backgroundTag(info *inkform.BlobInfo) string {
	sum := sha256.Sum256([]byte(info.Key + "\x00" + strconv.FormatInt(info.Size, 10) + "\x00" + info.ModTime.UTC().Format("2006-01-02T15:04:05.999999999")))
	return hex.EncodeToString(sum[:8])
}

// backgroundURL returns the station's URL of the form version's uploaded
// background, or "" when it has none (or the server keeps no blobs). The
// URL is the form version's, not the document's, so a browser fetches a
// form's background once for all its documents.
func (s *Server) backgroundURL(ctx context.Context, form *inkform.Form) (string, error) {
	if s.Blobs == nil {
		return "", nil
	}
	info, err := s.Blobs.Stat(ctx, inkform.FormBackgroundKey(form.OrgID, form.ID, form.Version))
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.ENOTFOUND:
		return "", nil
	default:
		return "", err
	}
	return "/verify/forms/" + url.PathEscape(form.ID) + "/versions/" + strconv.Itoa(form.Version) +
		"/background.pdf?v=" + backgroundTag(info), nil
}

// handleVerifyBackground serves GET /verify/forms/{form}/versions/
// {version}/background.pdf: the PDF uploaded as the form version's
// background, for the station to draw under the page. The form is looked
// up in the session's org, so another org's form ID finds nothing. The
// PDF is the blank form, no one's data, so serving it is not audited.
func (s *Server) handleVerifyBackground(w http.ResponseWriter, r *http.Request, v *visit) error {
	version, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || version < 1 || s.Blobs == nil {
		http.NotFound(w, r)
		return nil
	}
	ctx := r.Context()
	form, err := s.Forms.FindFormVersion(ctx, v.Org.ID, r.PathValue("form"), version)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		http.NotFound(w, r)
		return nil
	} else if err != nil {
		return err
	}
	rc, info, err := s.Blobs.Get(ctx, inkform.FormBackgroundKey(v.Org.ID, form.ID, form.Version))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		http.NotFound(w, r)
		return nil
	} else if err != nil {
		return err
	}
	defer rc.Close()
	tag := backgroundTag(info)
	etag := strconv.Quote(tag)
	h := w.Header()
	h.Set("ETag", etag)
	// The page links the current upload by its tag, which a browser may
	// keep; any other URL is checked each time.
	if r.URL.Query().Get("v") == tag {
		h.Set("Cache-Control", "private, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.Logger.WarnContext(ctx, "background not sent", "err", err)
	}
	return nil
}
