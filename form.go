package inkform

import (
	"context"
	"time"
)

// PatternMode says how printed copies of a form carry the Anoto pattern.
type PatternMode string

// Pattern modes. With copied pattern every printed copy of a page has the same
// page address and each transmission starts a new document; with unique pattern
// each printed copy has its own addresses and later ink joins that copy's
// document.
const (
	PatternCopied PatternMode = "copied"
	PatternUnique PatternMode = "unique"
)

// FieldType is the kind of a form field.
type FieldType string

// Field types.
const (
	FieldText      FieldType = "text"
	FieldNumber    FieldType = "number"
	FieldDate      FieldType = "date"
	FieldCheckbox  FieldType = "checkbox"
	FieldChoice    FieldType = "choice"
	FieldSignature FieldType = "signature"
	FieldDrawing   FieldType = "drawing"
)

// Recognized reports whether values of this type are read by handwriting
// recognition (as opposed to mark detection).
func (t FieldType) Recognized() bool {
	return t == FieldText || t == FieldNumber || t == FieldDate
}

// Charset restricts the characters a recognized field may hold.
type Charset string

// Character sets.
const (
	CharsetDigits Charset = "digits"
	CharsetUpper  Charset = "upper"
	CharsetAlnum  Charset = "alnum"
)

// DefaultConfidenceThreshold is a form's threshold for auto-validation when
// its template names none.
const DefaultConfidenceThreshold = 0.9

// Template limits.
const (
	MaxPages         = 100
	MaxFields        = 2000
	MaxPageSide      = 2000.0 // mm
	MaxOptions       = 100
	MaxComb          = 200
	MaxNameLength    = 64
	MaxLabelLength   = 500
	MaxPatternLength = 500
	// MaxDescriptionLength bounds a form's description (characters): a
	// paragraph for the people choosing forms, not a store for documents,
	// since every read of the form carries it.
	MaxDescriptionLength = 10000
)

// Size is a page size in millimetres.
type Size struct {
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Box is a rectangle in millimetres, from the page's top-left corner with y
// growing downwards.
type Box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Contains reports whether the point (x, y) lies inside the box, edges included.
func (b Box) Contains(x, y float64) bool {
	return x >= b.X && x <= b.X+b.W && y >= b.Y && y <= b.Y+b.H
}

// Cell returns the i-th (0-based) of n equal cells of a comb box, left to right.
func (b Box) Cell(i, n int) Box {
	w := b.W / float64(n)
	return Box{X: b.X + float64(i)*w, Y: b.Y, W: w, H: b.H}
}

// PageSpec is one page of a form template.
type PageSpec struct {
	Size Size `json:"size"`
	// Address is the page address "segment.shelf.book.page". For copied
	// pattern it is given or allocated from the org's pool; unique-pattern
	// forms leave it empty and get addresses per copy.
	Address string `json:"address,omitempty"`
}

// Option is one box of a choice field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Box   Box    `json:"box"`
}

// Field is one field of a form template. Validation rules are optional.
type Field struct {
	Name     string    `json:"name"`
	Label    string    `json:"label,omitempty"`
	Type     FieldType `json:"type"`
	Page     int       `json:"page"`
	Box      *Box      `json:"box,omitempty"`
	Comb     int       `json:"comb,omitempty"`
	Charset  Charset   `json:"charset,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	Multiple bool      `json:"multiple,omitempty"`

	Required  bool     `json:"required,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	MinLength *int     `json:"minLength,omitempty"`
	MaxLength *int     `json:"maxLength,omitempty"`
	Format    string   `json:"format,omitempty"` // date fields: e.g. DDMMYY, DD.MM.YYYY

	// DoubleEntry makes verifiers type the field twice, blind: two
	// people's entries must agree, or a third person decides
	// (VerificationService.Correct). Only for fields people type: text,
	// number and date.
	DoubleEntry bool `json:"doubleEntry,omitempty"`
}

// EffectiveCharset is the character set recognition uses for the field:
// digits for number and date fields, the declared one otherwise, alnum by
// default.
func (f *Field) EffectiveCharset() Charset {
	switch {
	case f.Type == FieldNumber || f.Type == FieldDate:
		if f.Charset == "" {
			return CharsetDigits
		}
		return f.Charset
	case f.Charset != "":
		return f.Charset
	}
	return CharsetAlnum
}

// FormTemplate is the v1 JSON template format of a form (docs/forms.md).
type FormTemplate struct {
	Name                string      `json:"name"`
	Description         string      `json:"description,omitempty"`
	Pattern             PatternMode `json:"pattern"`
	ConfidenceThreshold float64     `json:"confidenceThreshold"`
	Pages               []PageSpec  `json:"pages"`
	Fields              []Field     `json:"fields"`
	// Recognizer names a remote handwriting engine that the server's
	// operator configured (--remote-recognizers); empty means the built-in
	// engine. Forms name engines, never URLs, so a tenant cannot make the
	// server call an address of its choosing.
	Recognizer string `json:"recognizer,omitempty"`
	// Retention, when set, makes the server purge the form's documents
	// a number of days after they were validated or exported.
	Retention *Retention `json:"retention,omitempty"`
}

// Retention says how long a form's documents are kept.
type Retention struct {
	// After is the event the days count from: "validated" or "exported".
	// A document that never reaches it is kept.
	After string `json:"after"`
	// Days is how many days after that event the document is purged,
	// from MinRetentionDays to MaxRetentionDays.
	Days int `json:"days"`
}

// Events that retention counts from.
const (
	RetainAfterValidated = "validated"
	RetainAfterExported  = "exported"
)

// Bounds of Retention.Days: a day at least, so that a slip cannot purge a
// document as it is validated, and ten years at most.
const (
	MinRetentionDays = 1
	MaxRetentionDays = 3650
)

// Field returns the field with the name, or nil.
func (t *FormTemplate) Field(name string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

// Form is a stored form: the template of its latest version (or of the
// version asked for) with its page addresses filled in.
type Form struct {
	ID      string `json:"id"`
	OrgID   string `json:"-"`
	Version int    `json:"version"`
	FormTemplate
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// FormSummary is what a list of forms shows of each: enough to choose one,
// not its layout, so a list of large forms stays small.
type FormSummary struct {
	ID          string      `json:"id"`
	Version     int         `json:"version"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Pattern     PatternMode `json:"pattern"`
	Pages       int         `json:"pages"`
	Fields      int         `json:"fields"`
	CreatedAt   time.Time   `json:"createdAt"`
	UpdatedAt   time.Time   `json:"updatedAt"`
}

// Summary returns the form's summary.
func (f *Form) Summary() *FormSummary {
	return &FormSummary{
		ID: f.ID, Version: f.Version, Name: f.Name, Description: f.Description, Pattern: f.Pattern,
		Pages: len(f.Pages), Fields: len(f.Fields), CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
}

// PageOf returns the 1-based number of the form page that ink on a page
// address belongs to in doc. The document's own pages come first, because
// with unique pattern each printed copy has addresses of its own; then the
// form's, which with copied pattern say the same and let ink be placed
// before the document's page list is filled in. A document page whose
// number the form does not have is passed over, so that n can always index
// f.Pages. ok is false when neither knows the address.
func (f *Form) PageOf(doc *Document, address string) (n int, ok bool) {
	if doc != nil {
		for _, p := range doc.Pages {
			if p.Address == address && p.Number >= 1 && p.Number <= len(f.Pages) {
				return p.Number, true
			}
		}
	}
	for i, p := range f.Pages {
		if p.Address != "" && p.Address == address {
			return i + 1, true
		}
	}
	return 0, false
}

// PageAddress returns the address of page n (1-based) in doc: the
// document's own for that page, else the form's; "" when the form has no
// page n or, with unique pattern, no copy names it.
func (f *Form) PageAddress(doc *Document, n int) string {
	if n < 1 || n > len(f.Pages) {
		return ""
	}
	if doc != nil {
		for _, p := range doc.Pages {
			if p.Number == n {
				return p.Address
			}
		}
	}
	return f.Pages[n-1].Address
}

// PageRef is what a page address resolves to: a page of a form version, and
// for unique pattern the printed copy.
type PageRef struct {
	Address     string
	FormID      string
	FormVersion int
	Page        int    // 1-based
	CopyID      string // unique pattern only
}

// Copy is one printed copy of a unique-pattern form: one address per page.
type Copy struct {
	ID        string    `json:"id"`
	FormID    string    `json:"form"`
	Number    int       `json:"number"`
	Addresses []string  `json:"addresses"`
	CreatedAt time.Time `json:"createdAt"`
}

// FormFilter selects forms to list.
type FormFilter struct {
	After string // cursor: list forms with IDs after this one
	Limit int
}

// FormService manages form templates. Every method is scoped by org.
type FormService interface {
	// CreateForm validates and stores a new form as version 1, allocating
	// page addresses the template leaves empty (copied pattern). An
	// invalid template → EUNPROCESSABLE naming each problem; a page
	// address already used in the org → ECONFLICT.
	CreateForm(ctx context.Context, orgID string, t *FormTemplate) (*Form, error)
	// UpdateForm stores the template as the form's next version; a page
	// the new template leaves without an address keeps the one it had.
	UpdateForm(ctx context.Context, orgID, formID string, t *FormTemplate) (*Form, error)
	// FindForm returns the latest version of a form.
	FindForm(ctx context.Context, orgID, formID string) (*Form, error)
	// FindFormVersion returns one version of a form.
	FindFormVersion(ctx context.Context, orgID, formID string, version int) (*Form, error)
	// ListForms lists the summaries of the latest versions of an org's
	// forms, oldest first. A list never holds whole templates, so reading
	// one costs about one template's memory however large the forms are.
	ListForms(ctx context.Context, orgID string, filter FormFilter) ([]*FormSummary, error)
	// CreateCopies allocates n printed copies of a unique-pattern form;
	// a copied-pattern form has none to allocate (EUNPROCESSABLE).
	CreateCopies(ctx context.Context, orgID, formID string, n int) ([]*Copy, error)
	// ResolveAddress finds the page an address names; ENOTFOUND when no
	// form of the org has it.
	ResolveAddress(ctx context.Context, orgID, address string) (*PageRef, error)
}
