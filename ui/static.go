package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
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
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		panic(err)
	}
	st := staticFiles{}
	for _, e := range entries {
		data, err := fs.ReadFile(files, "static/"+e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(data)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		if ct == "" {
			ct = "application/octet-stream"
		}
		st[e.Name()] = &staticFile{data: data, contentType: ct, hash: hex.EncodeToString(sum[:6])}
	}
	return &st
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

// handleStatic serves GET /static/{name}. A request for the current
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
