package ui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// files are the templates and static files, embedded so that the binary
// is the whole UI.
//
//go:embed templates static
var files embed.FS

// view is what a page template sees. The fields every page uses come
// first; the rest belong to one page or another.
type view struct {
	Title string
	Visit *visit // nil on the sign-in page and errors before sign-in
	CSRF  string // the token of the page's forms
	// Error and Notice are a message to show: Error about what just
	// failed (announced as an alert), Notice about what just happened.
	Error  string
	Notice string

	Email, Org string    // the sign-in form, filled in again after a failure
	Sections   []section // the console home page
	Unwired    bool      // the home page: none of the role's parts is set up here
	IdleFor    string    // how long the session survives without use
	EndsAt     time.Time // when the session ends at the latest
	Back       string    // the error page's way back

	Queues  []queueRow   // the verification queues
	Station *stationView // one document in the verification station
	Group   *groupView   // a group-verification screen
	Auth    *authView    // second factor and single sign-on pages
	Audit   *auditView   // the audit log

	Docs       *documentsView  // the documents list
	Doc        *documentView   // one document, or the confirmation of its deletion
	Bulk       *bulkView       // a bulk action's confirmation or result
	Quarantine *quarantineView // quarantined ink, or assigning one entry
	Jobs       *jobsView       // dead jobs

	Tablet *tabletView // a form filled on a tablet
	Done   *doneView   // a document submitted from a tablet

	FormList *tabletList // the forms to fill in

	Forms    *formsView    // the forms pages: list, editor, one form
	Handlers *handlersView // the handlers pages: list, editor, delivery log
	Accounts *accountsView // the API tokens and users pages
}

// mustParsePages parses each page template with the layout. The files
// are embedded, so a parse error is a bug that fails at start (and in
// every test), never in front of a person.
func mustParsePages(st *staticFiles) map[string]*template.Template {
	funcs := template.FuncMap{"static": st.url, "mm": mm, "inc": func(i int) int { return i + 1 }, "pager": pager}
	// Partials (templates/part_*.html) are parsed into every page, so a
	// page can use them and the lead's next pages can share them.
	partials, err := fs.Glob(files, "templates/part_*.html")
	if err != nil {
		panic(err)
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if path.Base(name) == "layout.html" || strings.HasPrefix(path.Base(name), "part_") {
			continue
		}
		t := template.Must(template.New(path.Base(name)).Funcs(funcs).ParseFS(files, append([]string{"templates/layout.html", name}, partials...)...))
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages
}

// pagerView is what the pager partial (templates/part_pager.html) shows:
// the ways to the first and the next page of a list.
type pagerView struct {
	Of    string // what the list holds, for the nav's label ("forms")
	First string // the first page's URL while on a later one
	Next  string // the next page's URL; "" on the last
}

// pager gives the pager partial its data, as a template can pass only
// one value to another.
func pager(of, first, next string) pagerView {
	return pagerView{Of: of, First: first, Next: next}
}

// render writes a page. It renders into a buffer first, so a template
// error becomes a 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Logger.ErrorContext(r.Context(), "render page", slog.String("page", page), slog.Any("err", err))
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// problem shows an error page with a message for the person.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, v *visit, status int, message string) {
	page := &view{Title: http.StatusText(status), Visit: v, Error: message, Back: "/"}
	if v != nil {
		page.CSRF = v.CSRF
	} else {
		page.Back = "/login"
	}
	s.render(w, r, status, "error", page)
}

// serverError shows an error page for a failure that is not the person's
// doing. The details go to the log, never to the page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if inkform.ErrorCode(err) == inkform.EUNAVAILABLE {
		s.problem(w, r, v, http.StatusServiceUnavailable, "inkform cannot reach its database just now. Try again in a moment.")
		return
	}
	s.Logger.ErrorContext(r.Context(), "console request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	s.problem(w, r, v, http.StatusInternalServerError, "Something went wrong on inkform's side. It has been logged; try again in a moment.")
}
