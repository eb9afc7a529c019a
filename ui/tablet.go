package ui

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/inkform/inkform"
)

// Tablet filling (docs/ui.md): a form's current version as an HTML form
// for touch screens at /f/{form}, one page of the form at a time. What a
// person enters becomes an inkform.DigitalSubmission and goes through
// CaptureService.SubmitDigital, the path of the JSON API's digital
// submissions, so interpretation, validation, the PDF and the handlers
// treat it as they treat any other.

// tabletRoutes are the tablet pages. The form and its answers are the
// session's org's only: a form or document ID of another org finds
// nothing.
func (s *Server) tabletRoutes() []route {
	return []route{
		{"GET /f/{$}", s.tablet(s.handleTabletList)},
		{"GET /f/{form}", s.tablet(s.handleTabletShow)},
		{"POST /f/{form}", s.tablet(s.handleTabletSubmit)},
		{"GET /f/{form}/done/{doc}", s.tablet(s.handleTabletDone)},
		{"GET /f/{form}/done/{doc}/document.pdf", s.tablet(s.handleTabletPDF)},
	}
}

// maxTabletBytes bounds a posted tablet form: the values of up to
// inkform.MaxFields fields and the signatures' ink, which maxTabletInk
// bounds in turn.
const maxTabletBytes = 2 << 20

// mayFill reports whether a role may fill forms on a tablet: roles that
// may submit digital values (admin, integrator) or ink (gateway), since a
// tablet is a capture device like a pen.
func mayFill(role inkform.Role) bool {
	return role.Can(inkform.PermDigitalSubmit) || role.Can(inkform.PermInkSubmit)
}

// tablet wraps a tablet page: signed in with a role that may fill forms
// (CSRF checked on a POST), on a server wired with the services it needs.
func (s *Server) tablet(h pageHandler) http.Handler {
	return s.guard("", maxTabletBytes, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !mayFill(v.User.Role) {
			s.problem(w, r, v, http.StatusForbidden, "Your role ("+string(v.User.Role)+") may not fill in forms.")
			return nil
		}
		if !s.hasTablets() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "Filling in forms is not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// tabletView is the tablet form: every page of the form is in the HTML
// (the inputs of the others hidden, so one post carries all values), one
// of them shown.
type tabletView struct {
	Form     *inkform.Form
	Action   string // the form's URL, /f/{form}
	Key      string // the submission's idempotency key
	Page     int    // the page shown, 1-based
	Pages    []tabletPage
	Problems int // fields with a problem on the whole form
}

// First and Last report where the shown page is, for Back and Next.
func (t *tabletView) First() bool { return t.Page <= 1 }

// Last reports whether the shown page is the form's last.
func (t *tabletView) Last() bool { return t.Page >= len(t.Pages) }

// tabletPage is one page of the form.
type tabletPage struct {
	Number  int
	Current bool
	Fields  []*tabletField
}

// tabletField is one field's input as the person left it.
type tabletField struct {
	inkform.Field
	ID      string // the input's id: in-<index>, safe whatever the name
	Input   string // the input's name: v.<name>
	Title   string // the label, or the name when the template has none
	Digits  bool   // a numeric keyboard
	Value   string // text, number and date (YYYY-MM-DD) as posted
	Checked bool
	Choices []tabletChoice
	Ink     string // a signature's strokes, JSON as posted
	// PadW and PadH are the signature pad's drawing size in pixels
	// (padScale per millimetre of the box); CSS scales it to the screen.
	PadW, PadH int
	Problems   []string
	Focus      bool // the first field with a problem on the page shown
}

// padScale is the signature pad's pixels per millimetre: enough for a
// smooth line on a tablet's screen, whatever size CSS gives the pad.
const padScale = 8

// tabletChoice is one option of a choice field.
type tabletChoice struct {
	Value, Label string
	Chosen       bool
}

// newTabletView lays out the form with what was posted (nil for an empty
// form) and the problems per field name.
func newTabletView(form *inkform.Form, in url.Values, problems map[string][]string, page int, key string) *tabletView {
	tv := &tabletView{Form: form, Action: "/f/" + url.PathEscape(form.ID), Key: key, Page: page}
	for n := range form.Pages {
		tv.Pages = append(tv.Pages, tabletPage{Number: n + 1, Current: n+1 == page})
	}
	focused := false
	for i := range form.Fields {
		f := &form.Fields[i]
		if f.Page < 1 || f.Page > len(tv.Pages) {
			continue
		}
		tf := &tabletField{Field: *f, ID: "in-" + strconv.Itoa(i), Input: inputPrefix + f.Name, Title: f.Label,
			Value: in.Get(inputPrefix + f.Name), Ink: in.Get(inkPrefix + f.Name), Problems: problems[f.Name]}
		if tf.Title == "" {
			tf.Title = f.Name
		}
		if f.Box != nil {
			tf.PadW, tf.PadH = int(math.Round(f.Box.W*padScale)), int(math.Round(f.Box.H*padScale))
		}
		tf.Digits = f.Type == inkform.FieldNumber || (f.Type == inkform.FieldText && f.Charset == inkform.CharsetDigits)
		posted := in[inputPrefix+f.Name]
		tf.Checked = len(posted) > 0 && posted[len(posted)-1] == "true"
		for _, o := range f.Options {
			label := o.Label
			if label == "" {
				label = o.Value
			}
			tf.Choices = append(tf.Choices, tabletChoice{Value: o.Value, Label: label, Chosen: slices.Contains(posted, o.Value)})
		}
		if len(tf.Problems) > 0 {
			tv.Problems++
			if f.Page == page && !focused {
				tf.Focus, focused = true, true
			}
		}
		tv.Pages[f.Page-1].Fields = append(tv.Pages[f.Page-1].Fields, tf)
	}
	return tv
}
