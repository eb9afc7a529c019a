package inkform

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var fieldNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// Normalize fills in the defaults of a template: copied pattern, the default
// confidence threshold, digits for number and date fields, DDMMYY for dates.
func (t *FormTemplate) Normalize() {
	t.Name = strings.TrimSpace(t.Name)
	if t.Pattern == "" {
		t.Pattern = PatternCopied
	}
	if t.ConfidenceThreshold == 0 {
		t.ConfidenceThreshold = DefaultConfidenceThreshold
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		if (f.Type == FieldNumber || f.Type == FieldDate) && f.Charset == "" {
			f.Charset = CharsetDigits
		}
		if f.Type == FieldDate && f.Format == "" {
			f.Format = "DDMMYY"
		}
	}
}

// Validate checks a normalized template and returns an EUNPROCESSABLE *Error
// listing every problem, or nil. It does not check whether page addresses
// are used by other forms; the store does that (ECONFLICT).
func (t *FormTemplate) Validate() error {
	var v validator
	if t.Name == "" {
		v.add("name", "is required")
	} else if len(t.Name) > MaxLabelLength {
		v.add("name", "is longer than %d characters", MaxLabelLength)
	}
	if n := utf8.RuneCountInString(t.Description); n > MaxDescriptionLength {
		v.add("description", "is %d characters long; at most %d", n, MaxDescriptionLength)
	}
	if t.Pattern != PatternCopied && t.Pattern != PatternUnique {
		v.add("pattern", "must be %q or %q, not %q", PatternCopied, PatternUnique, t.Pattern)
	}
	if !(t.ConfidenceThreshold > 0 && t.ConfidenceThreshold <= 1) {
		v.add("confidenceThreshold", "must be greater than 0 and at most 1")
	}
	if t.Recognizer != "" && (len(t.Recognizer) > MaxNameLength || !fieldNameRE.MatchString(t.Recognizer)) {
		v.add("recognizer", "%q must be the name of a configured engine: a letter, then letters, digits and _", t.Recognizer)
	}
	t.validatePages(&v)
	t.validateFields(&v)
	t.validateRetention(&v)
	return v.err("invalid form template")
}

func (t *FormTemplate) validateRetention(v *validator) {
	r := t.Retention
	if r == nil {
		return
	}
	if r.After != RetainAfterValidated && r.After != RetainAfterExported {
		v.add("retention.after", "must be %q or %q, not %q", RetainAfterValidated, RetainAfterExported, r.After)
	}
	if r.Days < MinRetentionDays || r.Days > MaxRetentionDays {
		v.add("retention.days", "must be a whole number of days from %d to %d, not %d", MinRetentionDays, MaxRetentionDays, r.Days)
	}
}

func (t *FormTemplate) validatePages(v *validator) {
	switch {
	case len(t.Pages) == 0:
		v.add("pages", "a form needs at least one page")
	case len(t.Pages) > MaxPages:
		v.add("pages", "a form has at most %d pages", MaxPages)
	}
	seen := map[string]int{}
	for i, p := range t.Pages {
		path := fmt.Sprintf("pages[%d]", i)
		if !(p.Size.W > 0 && p.Size.W <= MaxPageSide && p.Size.H > 0 && p.Size.H <= MaxPageSide) {
			v.add(path+".size", "width and height must be greater than 0 and at most %g mm", MaxPageSide)
		}
		if p.Address == "" {
			continue
		}
		if t.Pattern == PatternUnique {
			v.add(path+".address", "unique-pattern forms get addresses per printed copy (POST /api/v1/forms/{id}/copies); leave it empty")
			continue
		}
		if err := ValidateAddress(p.Address); err != nil {
			v.add(path+".address", "%s", ErrorMessage(err))
			continue
		}
		if j, dup := seen[p.Address]; dup {
			v.add(path+".address", "%s is also the address of pages[%d]", p.Address, j)
		}
		seen[p.Address] = i
	}
}

func (t *FormTemplate) validateFields(v *validator) {
	if len(t.Fields) > MaxFields {
		v.add("fields", "a form has at most %d fields", MaxFields)
		return
	}
	names := map[string]int{}
	for i := range t.Fields {
		f := &t.Fields[i]
		path := fmt.Sprintf("fields[%d]", i)
		switch {
		case f.Name == "":
			v.add(path+".name", "is required")
		case len(f.Name) > MaxNameLength || !fieldNameRE.MatchString(f.Name):
			v.add(path+".name", "%q must start with a letter and hold only letters, digits and _ (at most %d)", f.Name, MaxNameLength)
		default:
			if j, dup := names[f.Name]; dup {
				v.add(path+".name", "duplicate name %q (also fields[%d])", f.Name, j)
			}
			names[f.Name] = i
		}
		if len(f.Label) > MaxLabelLength {
			v.add(path+".label", "is longer than %d characters", MaxLabelLength)
		}
		if f.Page < 1 || f.Page > len(t.Pages) {
			v.add(path+".page", "must be between 1 and %d (the number of pages)", len(t.Pages))
			continue // boxes cannot be checked against an unknown page
		}
		size := t.Pages[f.Page-1].Size
		switch f.Type {
		case FieldText, FieldNumber, FieldDate:
			t.validateRecognized(v, path, f)
			validateBox(v, path+".box", f.Box, size)
		case FieldCheckbox, FieldSignature, FieldDrawing:
			validateBox(v, path+".box", f.Box, size)
		case FieldChoice:
			validateChoice(v, path, f, size)
		default:
			v.add(path+".type", "unknown type %q; one of text, number, date, checkbox, choice, signature, drawing", f.Type)
			continue
		}
		if !f.Type.Recognized() {
			if f.Comb != 0 || f.Charset != "" || f.Pattern != "" || f.MinLength != nil || f.MaxLength != nil || f.Format != "" {
				v.add(path, "comb, charset, pattern, minLength, maxLength and format apply only to text, number and date fields")
			}
			if f.DoubleEntry {
				v.add(path+".doubleEntry", "applies only to text, number and date fields, which people type")
			}
		}
		if f.Type != FieldNumber && (f.Min != nil || f.Max != nil) {
			v.add(path, "min and max apply only to number fields")
		}
		if f.Type != FieldChoice && (len(f.Options) > 0 || f.Multiple) {
			v.add(path, "options and multiple apply only to choice fields")
		}
	}
}

func (t *FormTemplate) validateRecognized(v *validator, path string, f *Field) {
	if f.Comb < 0 || f.Comb > MaxComb {
		v.add(path+".comb", "must be between 0 and %d", MaxComb)
	}
	switch f.Charset {
	case "", CharsetDigits, CharsetUpper, CharsetAlnum:
	default:
		v.add(path+".charset", "unknown charset %q; one of digits, upper, alnum", f.Charset)
	}
	if f.Pattern != "" {
		if len(f.Pattern) > MaxPatternLength {
			v.add(path+".pattern", "is longer than %d characters", MaxPatternLength)
		} else if _, err := regexp.Compile(f.Pattern); err != nil {
			v.add(path+".pattern", "is not a valid regular expression: %v", err)
		}
	}
	if f.MinLength != nil && *f.MinLength < 0 {
		v.add(path+".minLength", "must not be negative")
	}
	if f.MinLength != nil && f.MaxLength != nil && *f.MinLength > *f.MaxLength {
		v.add(path+".maxLength", "is less than minLength")
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		v.add(path+".max", "is less than min")
	}
	if f.Type == FieldDate {
		if _, err := ParseDateFormat(f.Format); err != nil {
			v.add(path+".format", "%s", ErrorMessage(err))
		}
	}
}

func validateBox(v *validator, path string, b *Box, page Size) {
	if b == nil {
		v.add(path, "is required")
		return
	}
	for _, x := range []float64{b.X, b.Y, b.W, b.H} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			v.add(path, "must hold finite numbers")
			return
		}
	}
	if b.W <= 0 || b.H <= 0 {
		v.add(path, "width and height must be greater than 0")
		return
	}
	if b.X < 0 || b.Y < 0 || b.X+b.W > page.W || b.Y+b.H > page.H {
		v.add(path, "box {x:%g y:%g w:%g h:%g} lies outside its page (%g × %g mm)", b.X, b.Y, b.W, b.H, page.W, page.H)
	}
}

func validateChoice(v *validator, path string, f *Field, page Size) {
	if f.Box != nil {
		validateBox(v, path+".box", f.Box, page)
	}
	if len(f.Options) == 0 {
		v.add(path+".options", "a choice field needs at least one option")
	} else if len(f.Options) > MaxOptions {
		v.add(path+".options", "a choice field has at most %d options", MaxOptions)
	}
	values := map[string]bool{}
	for j, o := range f.Options {
		op := fmt.Sprintf("%s.options[%d]", path, j)
		if o.Value == "" {
			v.add(op+".value", "is required")
		} else if values[o.Value] {
			v.add(op+".value", "duplicate option value %q", o.Value)
		}
		values[o.Value] = true
		box := o.Box
		validateBox(v, op+".box", &box, page)
	}
}

// ValidateAddress checks that a page address has the form
// segment.shelf.book.page with non-negative whole numbers.
func ValidateAddress(a string) error {
	parts := strings.Split(a, ".")
	if len(parts) != 4 {
		return Errorf(EUNPROCESSABLE, "page address %q must have the form segment.shelf.book.page", a)
	}
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || p != strconv.FormatUint(n, 10) {
			return Errorf(EUNPROCESSABLE, "page address %q must have the form segment.shelf.book.page (whole numbers, no leading zeros)", a)
		}
	}
	return nil
}

// validator collects problems.
type validator struct{ problems []Problem }

func (v *validator) add(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) err(message string) error {
	if len(v.problems) == 0 {
		return nil
	}
	detail := message + ": " + v.problems[0].Path + " " + v.problems[0].Message
	if n := len(v.problems); n > 1 {
		detail += fmt.Sprintf(" (and %d more)", n-1)
	}
	return &Error{Code: EUNPROCESSABLE, Message: detail, Problems: v.problems}
}
