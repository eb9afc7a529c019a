package ui

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// formsView is what the forms pages show: the list, the template editor,
// or one form (its latest version or an earlier one).
type formsView struct {
	// The list.
	List        []*inkform.FormSummary
	Next, First string

	// One form: Form is the version shown, Latest the form's newest
	// version number (Form.Version unless an earlier one is shown).
	Form     *inkform.Form
	Latest   int
	Versions []int
	// Background is the shown version's uploaded background, nil when it
	// has none.
	Background *inkform.BlobInfo
	// BackgroundURL is where the background is served, by its tag.
	BackgroundURL string
	// What the visitor may do here: CanWrite edits and uploads, CanPrint
	// prints (a unique-pattern form only with CanWrite, as printing it
	// allocates copies), CanUpload when the server keeps backgrounds.
	CanWrite, CanPrint, CanUpload bool
	// MaxCopies is how many copies one print of this form may have.
	MaxCopies int
	Copies    string // the count typed in the print form
	// Where a message on the page belongs: "print" or "background" (the
	// view's Error is shown beside that form).
	ErrorAt string

	// The editor: Action is where it posts, Text the template as typed,
	// Base the version it was read from (editing only), Lenient whether
	// unknown keys are ignored, Problems what is wrong with Text.
	Action   string
	Text     string
	Base     int
	Lenient  bool
	Problems []templateProblem
}

// formRoutes lists the forms pages: designing, previewing and printing
// forms (docs/ui.md). Everyone who reads forms sees them and prints
// copied-pattern forms; changing one needs forms:write.
func (s *Server) formRoutes() []route {
	read, write := inkform.PermFormsRead, inkform.PermFormsWrite
	return []route{
		{"GET /forms", s.forms(read, maxFormBytes, s.handleFormList)},
		{"GET /forms/new", s.forms(write, maxFormBytes, s.handleFormNew)},
		{"POST /forms", s.forms(write, maxTemplateFormBytes, s.handleFormCreate)},
		{"GET /forms/{id}", s.forms(read, maxFormBytes, s.handleFormShow)},
		{"GET /forms/{id}/versions/{version}", s.forms(read, maxFormBytes, s.handleFormShow)},
		{"GET /forms/{id}/edit", s.forms(write, maxFormBytes, s.handleFormEdit)},
		{"POST /forms/{id}", s.forms(write, maxTemplateFormBytes, s.handleFormUpdate)},
		{"POST /forms/{id}/background", s.forms(write, maxBackgroundFormBytes, s.handleFormBackground)},
		// The station's handler serves a version's background here too,
		// to everyone who reads forms.
		{"GET /forms/{form}/versions/{version}/background.pdf", s.forms(read, maxFormBytes, s.handleVerifyBackground)},
		{"GET /forms/{id}/versions/{version}/template.json", s.forms(read, maxFormBytes, s.handleFormTemplate)},
		{"GET /forms/{id}/preview.pdf", s.forms(read, maxFormBytes, s.handleFormPreview)},
		{"GET /forms/{id}/versions/{version}/preview.pdf", s.forms(read, maxFormBytes, s.handleFormPreview)},
		{"POST /forms/{id}/print", s.forms(read, maxFormBytes, s.handleFormPrint)},
	}
}

// maxTemplateText bounds a template typed into the editor. The largest
// form the format allows (2000 fields) is well under a megabyte even
// pretty-printed, so this leaves room without letting one request cost
// much.
const maxTemplateText = 2 << 20

// maxTemplateFormBytes bounds the editor's post: the template URL-encoded
// (at worst three bytes a character) and the few other fields.
const maxTemplateFormBytes = 3*maxTemplateText + 4<<10

// maxBackgroundFormBytes bounds a background upload's post: the PDF and
// the multipart framing around it and the CSRF field.
const maxBackgroundFormBytes = inkform.MaxBackgroundBytes + 64<<10

// forms is guard for the forms pages, which need the forms service: a
// server wired without it says so instead of failing.
func (s *Server) forms(perm inkform.Permission, maxBody int64, h pageHandler) http.Handler {
	return s.guard(perm, maxBody, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasForms() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "The forms are not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// findForm returns the form the path names, in the visitor's org: the
// latest version, or the one {version} names. It answers 404 itself (and
// returns nil, nil) when there is no such form or version.
func (s *Server) findForm(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.Form, error) {
	id := r.PathValue("id")
	var form *inkform.Form
	var err error
	if text := r.PathValue("version"); text != "" {
		n, convErr := strconv.Atoi(text)
		if convErr != nil || n < 1 {
			s.problem(w, r, v, http.StatusNotFound, "There is no such version of the form: versions are whole numbers from 1.")
			return nil, nil
		}
		form, err = s.Forms.FindFormVersion(r.Context(), v.Org.ID, id, n)
	} else {
		form, err = s.Forms.FindForm(r.Context(), v.Org.ID, id)
	}
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such form or version in your organization.")
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return form, nil
}

// formLink is the path of a form's page.
func formLink(id string) string { return "/forms/" + id }
