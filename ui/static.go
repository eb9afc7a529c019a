package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticFile is one embedded file with what serving it needs.
type staticFile struct {
	data        []byte
	contentType string
	hash        string // of the content: the version in its URL and its ETag
}

// staticFiles are the embedded CSS, JavaScript and images by name.
type staticFiles map[string]*staticFile

// mustLoadStatic reads the embedded static files. They are compiled in, so
// a failure is a bug that shows at start.
func mustLoadStatic() *staticFiles {
	st := staticFiles{}
	err := fs.WalkDir(files, "static", func(name string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || path.Ext(name) == ".md" {
			return err
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		st[strings.TrimPrefix(name, "static/")] = &staticFile{data: data, contentType: contentTypeOf(name), hash: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return &st
}

// contentTypeOf is a static file's type by its extension. Scripts are
// named here rather than left to the system's MIME table, which may lack
// .mjs: browsers refuse an ES module served under any other type.
func contentTypeOf(name string) string {
	switch ext := path.Ext(name); ext {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	default:
		if ct := mime.TypeByExtension(ext); ct != "" {
			return ct
		}
		return "application/octet-stream"
	}
}

// url returns the URL of a static file, versioned by its content so that
// browsers may keep it for good and still get a changed file at once. A
// template naming a missing file is a bug; it fails every test that
// renders the page.
func (st *staticFiles) url(name string) (string, error) {
	f, ok := (*st)[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return "/static/" + name + "?v=" + f.hash, nil
}

// handleStatic serves GET /static/{name...} (vendored files live in
// folders, vendor/pdfjs/pdf.min.mjs). A request for the current
// version may be cached for a year; any other must be revalidated.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := (*s.static)[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.contentType)
	_, _ = w.Write(f.data)
}
