package inkform

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
)

// Export formats.
const (
	ExportPDF  = "pdf"  // the document's current PDF
	ExportJSON = "json" // the document as GET /api/v1/documents/{id} shows it
	ExportCSV  = "csv"  // one row: a header line and the values, fields in form order
)

// ExportFormats lists the export formats.
func ExportFormats() []string { return []string{ExportPDF, ExportJSON, ExportCSV} }

// DefaultExportPath is the path template of an export subscription that names
// none.
const DefaultExportPath = "{form}/{yyyy}/{mm}/{document}.{ext}"

// MaxExportPath bounds an export path template and the path it expands to.
const MaxExportPath = 512

// exportTargetName is what an operator may call an export target and what
// a subscription may name.
var exportTargetName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// ValidExportTargetName reports whether name can name an export target.
func ValidExportTargetName(name string) bool { return exportTargetName.MatchString(name) }

// ExportVars fill an export path template.
type ExportVars struct {
	FormID, DocumentID, Status, Event, CopyID, PenID, Ext string
	// At is when the event happened; {yyyy}, {mm}, {dd} and {hh} are its
	// UTC date and hour.
	At time.Time
}

// exportPlaceholders lists the placeholders of a path template.
func exportPlaceholders() []string {
	return []string{"form", "document", "status", "event", "copy", "pen", "ext", "yyyy", "mm", "dd", "hh"}
}

// ExpandExportPath fills a path template: each {name} becomes its value,
// with characters other than letters, digits, '.', '_' and '-' in values
// replaced by '_'. The result is a relative slash-separated path without
// empty, "." or ".." segments. EINVALID names what is wrong.
func ExpandExportPath(tmpl string, v ExportVars) (string, error) {
	at := v.At.UTC()
	values := map[string]string{
		"form": v.FormID, "document": v.DocumentID, "status": v.Status, "event": v.Event,
		"copy": v.CopyID, "pen": v.PenID, "ext": v.Ext,
		"yyyy": at.Format("2006"), "mm": at.Format("01"), "dd": at.Format("02"), "hh": at.Format("15"),
	}
	var b strings.Builder
	rest := tmpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", Errorf(EINVALID, "export path: unclosed { in %q", tmpl)
		}
		name := rest[open+1 : open+end]
		val, ok := values[name]
		if !ok {
			return "", Errorf(EINVALID, "export path: unknown placeholder {%s}; known: {%s}", name, strings.Join(exportPlaceholders(), "}, {"))
		}
		b.WriteString(rest[:open])
		b.WriteString(pathSafe(val))
		rest = rest[open+end+1:]
	}
	p := b.String()
	if len(p) > MaxExportPath {
		return "", Errorf(EINVALID, "export path is longer than %d bytes", MaxExportPath)
	}
	// Values are path-safe, so a brace or backslash left in the path came
	// from the template itself.
	if strings.ContainsAny(p, "}\\") {
		return "", Errorf(EINVALID, "export path: stray } or a backslash in %q", tmpl)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", Errorf(EINVALID, "export path %q must be relative, without empty, . or .. segments", tmpl)
		}
	}
	return p, nil
}

// pathSafe keeps letters, digits, '.', '_' and '-', replacing others (and
// a leading '.') with '_', so a value cannot add segments to a path.
func pathSafe(s string) string {
	if s == "" {
		return "_"
	}
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' && i > 0
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}

// validateExport checks an export subscription's target, format and path.
func (h *Subscription) validateExport() error {
	if err := h.refuseOthers("target", "format", "path"); err != nil {
		return err
	}
	if !ValidExportTargetName(h.Target) {
		return Errorf(EINVALID, "export target must name a target the operator configured (lower-case letters, digits, _ and -)")
	}
	if !slices.Contains(ExportFormats(), h.Format) {
		return Errorf(EINVALID, "export format must be one of %s", strings.Join(ExportFormats(), ", "))
	}
	if h.Wants(EventDocumentPurged) {
		return Errorf(EINVALID, "an export handler cannot take %s: nothing is left to export", EventDocumentPurged)
	}
	if h.Format == ExportPDF && h.Wants(EventDocumentReceived) {
		return Errorf(EINVALID, "a pdf export cannot take %s: a document has no PDF when it arrives", EventDocumentReceived)
	}
	if h.Path == "" {
		h.Path = DefaultExportPath
	}
	sample := ExportVars{FormID: "f", DocumentID: "d", Status: "s", Event: "e", CopyID: "c", PenID: "p", Ext: "x", At: time.Unix(0, 0)}
	p, err := ExpandExportPath(h.Path, sample)
	if err != nil {
		return err
	}
	// The object key is the org's ID and the path: a path the stores
	// refuse (a segment starting with a dot, a control character) would
	// fail every export, so it is refused now.
	if err := ValidateBlobKey(NewID() + "/" + p); err != nil {
		return Errorf(EINVALID, "export path %q: %s", h.Path, ErrorMessage(err))
	}
	return nil
}

// EmailData is what an e-mail subscription's subject and body templates see,
// e.g. {{.Form.Name}}, {{.Document.ID}}, {{index .Values "patient_no"}}
// or {{.Values.patient_no}}, {{.Links.PDF}}.
type EmailData struct {
	Event    string
	Form     *Form
	Document *Document
	// Values holds each field's value as text ("" for none, "yes"/"no" for
	// a box, options joined by ", ").
	Values map[string]string
	Links  Links
}

// Links are the API addresses of a document's parts, absolute when the
// server knows its public URL.
type Links struct {
	Document string `json:"document"`
	PDF      string `json:"pdf"`
	Ink      string `json:"ink"`
	// Cutouts maps each field to its PNG cutout.
	Cutouts map[string]string `json:"cutouts,omitempty"`
}

// DefaultEmailSubject is the subject template of an e-mail subscription that
// names none.
const DefaultEmailSubject = `{{.Form.Name}}: document {{.Document.ID}} {{.Document.Status}}`

// DefaultEmailBody is the body template of an e-mail subscription that names
// none.
const DefaultEmailBody = `Form: {{.Form.Name}}
Document: {{.Document.ID}}
Status: {{.Document.Status}}
{{range $name, $value := .Values}}
{{$name}}: {{$value}}{{end}}

PDF: {{.Links.PDF}}
`

// EmailTemplates parses an e-mail subscription's subject and body templates
// (the defaults where it names none). Missing keys give "" rather than an
// error, so a renamed field does not stop the mail.
func EmailTemplates(h *Subscription) (subject, body *template.Template, err error) {
	s, b := h.Subject, h.Body
	if s == "" {
		s = DefaultEmailSubject
	}
	if b == "" {
		b = DefaultEmailBody
	}
	subject, err = parseTemplate("subject", s)
	if err != nil {
		return nil, nil, err
	}
	body, err = parseTemplate("body", b)
	if err != nil {
		return nil, nil, err
	}
	return subject, body, nil
}

// parseTemplate parses one e-mail template and checks it with
// checkTemplate; the error names the template.
func parseTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=zero").Parse(text)
	if err == nil {
		err = checkTemplate(t)
	}
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "template: ")
		if e, ok := err.(*Error); ok {
			msg = e.Message
		}
		return nil, Errorf(EINVALID, "e-mail %s template: %s", name, msg)
	}
	return t, nil
}

// CheckEmailDomains returns EINVALID naming the first recipient whose
// domain is not among allowed (lower case); an empty allowed list allows
// any. Operators narrow it so that tenants cannot mail just anyone through
// their SMTP server.
func CheckEmailDomains(to, allowed []string) error {
	if len(allowed) == 0 {
		return nil
	}
	for _, addr := range to {
		at := strings.LastIndexByte(addr, '@')
		if at < 0 || !slices.Contains(allowed, strings.ToLower(addr[at+1:])) {
			return Errorf(EINVALID, "e-mail recipient %q: this server sends only to %s", addr, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// validateEmail checks an e-mail subscription's recipients and templates.
func (h *Subscription) validateEmail() error {
	if err := h.refuseOthers("to", "subject", "body"); err != nil {
		return err
	}
	if len(h.To) == 0 || len(h.To) > MaxEmailRecipients {
		return Errorf(EINVALID, "an e-mail handler needs 1 to %d recipients in \"to\"", MaxEmailRecipients)
	}
	for _, to := range h.To {
		a, err := mail.ParseAddress(to)
		if err != nil || a.Name != "" || a.Address != to {
			return Errorf(EINVALID, "e-mail recipient %q is not a plain address like name@example.org", to)
		}
	}
	if len(h.Subject) > MaxEmailSubject || strings.ContainsAny(h.Subject, "\r\n") {
		return Errorf(EINVALID, "e-mail subject must be one line of at most %d bytes", MaxEmailSubject)
	}
	if len(h.Body) > MaxEmailBody {
		return Errorf(EINVALID, "e-mail body is longer than %d bytes", MaxEmailBody)
	}
	_, _, err := EmailTemplates(h)
	return err
}
