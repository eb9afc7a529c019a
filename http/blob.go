package http

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// errNoBlobs answers the routes that need object storage on a server
// without it.
func errNoBlobs() error {
	return inkform.Errorf(inkform.EUNAVAILABLE, "object storage is not available on this server")
}

// notModified sets the ETag of a stored file and answers 304 when the
// client already has it (If-None-Match). PDFs and cutouts change whenever
// their document does, so clients must revalidate (no-cache), and a
// verifier flipping back and forth between documents costs a 304 each.
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	for tag := range strings.SplitSeq(r.Header.Get("If-None-Match"), ",") {
		if tag = strings.TrimSpace(tag); tag == etag || tag == "*" {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// streamBlob writes a stored object as a 200 answer. Headers are set before
// the body, so a read error half-way can only cut the body short: the
// client sees a length mismatch, never a wrong file with a 200.
func streamBlob(w http.ResponseWriter, rc io.Reader, info *inkform.BlobInfo, contentType string) error {
	if contentType == "" {
		contentType = info.ContentType
	}
	w.Header().Set("Content-Type", contentType)
	if info.Size >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	}
	w.WriteHeader(http.StatusOK)
	// With the status sent, a copy error (the client went away, the
	// store failed) cannot become a problem response; the short body
	// tells the client.
	io.Copy(w, rc)
	return nil
}
