package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// maxConditionsText bounds the conditions a person pastes: twenty
// conditions of a few lines each fit many times over.
const maxConditionsText = 8 << 10

// handlerForm is the editor of a handler: the fields of its type as the
// person typed them, and what is wrong with them.
type handlerForm struct {
	FormID     string
	Type       string
	Events     []optionView // each event, ticked or not
	Conditions string       // a JSON array, as the API takes "conditions"
	URL        string
	To         string // one address a line
	Subject    string
	Body       string
	Target     string
	Format     string
	Path       string
	Targets    []optionView // the export targets the server has
	Formats    []optionView // the export formats
	// Errors holds a message per field (named as the API's members are:
	// type, events, conditions, url, to, subject, body, target, format,
	// path), shown next to it; "" holds one about the whole handler.
	Errors map[string]string
}

// newHandlerForm returns the editor filled with h's settings.
func (s *Server) newHandlerForm(h *inkform.Subscription) *handlerForm {
	f := &handlerForm{FormID: h.FormID, Type: h.Type, URL: h.URL, To: strings.Join(h.To, "\n"),
		Subject: h.Subject, Body: h.Body, Target: h.Target, Format: h.Format, Path: h.Path}
	if len(h.Conditions) > 0 {
		b, _ := json.MarshalIndent(h.Conditions, "", "  ") // conditions came from JSON and go back to it
		f.Conditions = string(b)
	}
	s.fillChoices(f, h.Events)
	return f
}

// fillChoices sets the checkboxes and options of the editor.
func (s *Server) fillChoices(f *handlerForm, events []string) {
	f.Events = nil
	for _, e := range inkform.SubscriptionEvents() {
		f.Events = append(f.Events, optionView{Value: e, Label: e, Chosen: slices.Contains(events, e)})
	}
	f.Targets = nil
	for _, t := range s.SubscriptionOptions.ExportTargets {
		f.Targets = append(f.Targets, optionView{Value: t, Label: t, Chosen: t == f.Target})
	}
	f.Formats = nil
	for _, x := range inkform.ExportFormats() {
		f.Formats = append(f.Formats, optionView{Value: x, Label: x, Chosen: x == f.Format})
	}
}

// readHandlerForm reads a posted editor for a handler of the type.
func (s *Server) readHandlerForm(r *http.Request, typ string) *handlerForm {
	f := &handlerForm{FormID: r.PostFormValue("form"), Type: typ,
		Conditions: r.PostFormValue("conditions"),
		URL:        strings.TrimSpace(r.PostFormValue("url")), To: r.PostFormValue("to"),
		Subject: strings.TrimSpace(r.PostFormValue("subject")), Body: r.PostFormValue("body"),
		Target: strings.TrimSpace(r.PostFormValue("target")), Format: strings.TrimSpace(r.PostFormValue("format")),
		Path: strings.TrimSpace(r.PostFormValue("path"))}
	s.fillChoices(f, r.PostForm["events"])
	return f
}

// fieldError is a message about one field of the editor.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// apply copies the editor onto h: the events, the conditions and the
// settings of h's type (the others stay empty, as the type wants). A
// field that cannot be read is a *fieldError.
func (f *handlerForm) apply(h *inkform.Subscription) error {
	h.Events = nil
	for _, e := range f.Events {
		if e.Chosen {
			h.Events = append(h.Events, e.Value)
		}
	}
	h.Conditions = nil
	if text := strings.TrimSpace(f.Conditions); text != "" {
		if len(text) > maxConditionsText {
			return &fieldError{"conditions", "the conditions are too long"}
		}
		if err := inkform.DecodeJSON([]byte(text), &h.Conditions, true); err != nil {
			return &fieldError{"conditions", "a JSON list is expected, like [{\"field\": \"urgent\", \"op\": \"equals\", \"value\": true}]: " + inkform.ErrorMessage(err)}
		}
	}
	h.URL, h.To, h.Subject, h.Body, h.Target, h.Format, h.Path = "", nil, "", "", "", "", ""
	switch h.Type {
	case inkform.SubscriptionWebhook:
		h.URL = f.URL
	case inkform.SubscriptionEmail:
		h.To = strings.FieldsFunc(f.To, func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' || c == ' ' || c == '\t' })
		h.Subject, h.Body = f.Subject, f.Body
	case inkform.SubscriptionExport:
		h.Target, h.Format, h.Path = f.Target, f.Format, f.Path
	}
	return nil
}

// refused reads err as a message about a field of the editor, setting
// it; it reports false for any other error.
func (f *handlerForm) refused(err error) bool {
	var fe *fieldError
	if errors.As(err, &fe) {
		f.Errors = map[string]string{fe.field: fe.msg}
		return true
	}
	var e *inkform.Error
	if !errors.As(err, &e) || (e.Code != inkform.EUNPROCESSABLE && e.Code != inkform.EINVALID) {
		return false
	}
	f.Errors = map[string]string{}
	for _, p := range e.Problems {
		f.Errors[p.Path] = p.Message
	}
	if len(f.Errors) == 0 {
		f.Errors[""] = e.Message // about the handler as a whole
	}
	return true
}
