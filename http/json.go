package http

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// smallBodyLimit bounds the bodies of small requests (tokens, copies), which
// are a few dozen bytes; the large limit is for templates, ink and digital
// submissions.
const smallBodyLimit = 64 << 10

// bodyLimit is the limit for large bodies.
func (s *Server) bodyLimit() int64 { return s.Limits.MaxBytes }

// readBody reads the whole body, refusing more than limit bytes. The
// declared Content-Length is checked first so an oversized upload is
// refused before it is read. A gzip-encoded body (pen gateways on mobile
// networks compress InkML about fivefold) is decompressed, and the limit
// applies to the decompressed size too, so a small "zip bomb" cannot
// inflate past it.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := inkform.Errorf(inkform.ETOOLARGE, "the request body is larger than the limit of %d bytes", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	gzipped := false
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, bodyReadError(err, tooLarge, true)
		}
		gzipped = true
		defer zr.Close()
		body = io.LimitReader(zr, limit+1)
	default:
		return nil, inkform.Errorf(inkform.EUNSUPPORTED,
			"the Content-Encoding %q is not supported; send the body uncompressed or gzip-compressed", enc)
	}
	data, err := readAll(body, r.ContentLength, gzipped)
	if err != nil {
		return nil, bodyReadError(err, tooLarge, gzipped)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}

// readAll reads r to its end. With a declared length (an uncompressed body
// within the limit) it reads into a buffer of exactly that size, sparing
// io.ReadAll's growth from 512 bytes — eight copies of a 57 KB page.
func readAll(r io.Reader, length int64, gzipped bool) ([]byte, error) {
	if length <= 0 || gzipped {
		return io.ReadAll(r)
	}
	buf := make([]byte, length+1) // one spare byte detects a body longer than declared
	n, err := io.ReadFull(r, buf)
	switch {
	case (err == io.ErrUnexpectedEOF || err == io.EOF) && int64(n) == length:
		return buf[:n], nil
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return nil, io.ErrUnexpectedEOF // shorter than declared: a broken upload
	case err != nil:
		return nil, err
	}
	// More than declared: net/http does not allow that, but keep reading
	// so the limit still decides.
	rest, err := io.ReadAll(r)
	return append(buf, rest...), err
}

// bodyReadError classifies a failure to read the body: over the limit, or
// a broken upload (a truncated or corrupt gzip stream, a client that left).
func bodyReadError(err, tooLarge error, gzipped bool) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge
	}
	if gzipped && errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
		return inkform.Errorf(inkform.EINVALID, "the gzip-compressed request body is corrupt or truncated")
	}
	return inkform.Errorf(inkform.EINVALID, "could not read the request body")
}

// mediaType returns the lower-case media type of the request's
// Content-Type, without parameters ("" when there is none).
func mediaType(r *http.Request) (string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "", nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", inkform.Errorf(inkform.EUNSUPPORTED, "the Content-Type %q cannot be parsed", ct)
	}
	return mt, nil
}

// decodeJSON reads a JSON body into v. Unknown keys are refused when strict
// is set (form templates use decodeTemplate instead). Syntax errors are
// reported with line and column, type errors with the field's path.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any, strict bool) error {
	body, err := readJSONBody(w, r, limit)
	if err != nil {
		return err
	}
	return unmarshalJSON(body, v, strict)
}

// readJSONBody reads a body that must be JSON (or have no Content-Type).
func readJSONBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	mt, err := mediaType(r)
	if err != nil {
		return nil, err
	}
	if mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil, inkform.Errorf(inkform.EUNSUPPORTED, "the body must be application/json, not %s", mt)
	}
	return readBody(w, r, limit)
}

// unmarshalJSON decodes exactly one JSON value from body into v
// (inkform.DecodeJSON, which the console's template form shares).
func unmarshalJSON(body []byte, v any, strict bool) error {
	return inkform.DecodeJSON(body, v, strict)
}

// writeJSON writes v as a JSON response. Encoding happens before anything is
// written, so an encoding failure can still become a problem response; a
// failed write means the client left, which is nothing to report.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
	return nil
}
