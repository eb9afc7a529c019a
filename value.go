package inkform

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ValueSource says where a field's value came from.
type ValueSource string

// Value sources.
const (
	SourcePen      ValueSource = "pen"      // mark detection on ink (checkboxes, choices, signatures)
	SourceICR      ValueSource = "icr"      // handwriting recognition
	SourceDigital  ValueSource = "digital"  // typed on a device
	SourceVerifier ValueSource = "verifier" // set by a person
)

// FieldValue is the value of one field of a document. Value is a string for
// text, number and date fields (as written: leading zeros kept), a bool for
// checkbox, signature and drawing fields (ticked / present), a string for a
// single choice and a []string for a multiple choice; nil when empty.
type FieldValue struct {
	Value      any         `json:"value"`
	Confidence float64     `json:"confidence"`
	Source     ValueSource `json:"source"`
	Valid      bool        `json:"valid"`
	Problems   []string    `json:"problems"`
	// Alternatives are other readings of a recognized value, best first.
	Alternatives []string `json:"alternatives,omitempty"`
}

// IsEmpty reports whether v counts as no value for the "required" rule.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case bool:
		return !x
	case []string:
		return len(x) == 0
	}
	return false
}

// Check validates a value against the field's type and rules and returns the
// problems found; none means valid. Check does not look at confidence.
func (f *Field) Check(v any) []string {
	if IsEmpty(v) {
		if f.Required {
			return []string{"is required"}
		}
		return nil
	}
	switch f.Type {
	case FieldText:
		s, ok := v.(string)
		if !ok {
			return []string{"must be a string"}
		}
		return f.checkText(s)
	case FieldNumber:
		s, ok := v.(string)
		if !ok {
			return []string{"must be a string of digits as written"}
		}
		return f.checkNumber(s)
	case FieldDate:
		s, ok := v.(string)
		if !ok {
			return []string{"must be a string in the format " + f.Format}
		}
		df, err := ParseDateFormat(f.Format)
		if err != nil {
			return []string{ErrorMessage(err)}
		}
		if err := df.Check(s); err != nil {
			return []string{ErrorMessage(err)}
		}
		return f.checkLength(s)
	case FieldCheckbox, FieldSignature, FieldDrawing:
		if _, ok := v.(bool); !ok {
			return []string{"must be true or false"}
		}
	case FieldChoice:
		return f.checkChoice(v)
	}
	return nil
}

func (f *Field) checkText(s string) []string {
	var problems []string
	problems = append(problems, f.checkLength(s)...)
	if f.Pattern != "" {
		// Anchored: a pattern describes the whole value, as in HTML forms.
		re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
		if err != nil || !re.MatchString(s) {
			problems = append(problems, fmt.Sprintf("does not match the pattern %s", f.Pattern))
		}
	}
	return problems
}

func (f *Field) checkLength(s string) []string {
	n := utf8.RuneCountInString(s)
	var problems []string
	if f.MinLength != nil && n < *f.MinLength {
		problems = append(problems, fmt.Sprintf("is shorter than %d characters", *f.MinLength))
	}
	if f.MaxLength != nil && n > *f.MaxLength {
		problems = append(problems, fmt.Sprintf("is longer than %d characters", *f.MaxLength))
	}
	if f.Comb > 0 && n > f.Comb {
		problems = append(problems, fmt.Sprintf("has more than %d characters (the comb's cells)", f.Comb))
	}
	return problems
}

func (f *Field) checkNumber(s string) []string {
	problems := f.checkLength(s)
	n, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil || strings.ContainsAny(s, "eEInfinfNaN") {
		return append(problems, fmt.Sprintf("%q is not a number", s))
	}
	if f.Min != nil && n < *f.Min {
		problems = append(problems, fmt.Sprintf("is less than %g", *f.Min))
	}
	if f.Max != nil && n > *f.Max {
		problems = append(problems, fmt.Sprintf("is greater than %g", *f.Max))
	}
	if f.Pattern != "" {
		problems = append(problems, f.checkText(s)...)
	}
	return problems
}

func (f *Field) checkChoice(v any) []string {
	var picked []string
	switch x := v.(type) {
	case string:
		picked = []string{x}
	case []string:
		if !f.Multiple && len(x) > 1 {
			return []string{"only one option may be chosen"}
		}
		picked = x
	default:
		return []string{"must be an option's value"}
	}
	seen := map[string]bool{}
	for _, p := range picked {
		if seen[p] {
			return []string{fmt.Sprintf("option %q is chosen twice", p)}
		}
		seen[p] = true
		if !f.hasOption(p) {
			return []string{fmt.Sprintf("%q is not one of the options", p)}
		}
	}
	return nil
}

func (f *Field) hasOption(v string) bool {
	for _, o := range f.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// DecodeValue turns a JSON value from a digital submission or a verifier into
// the field's value type. Signature and drawing fields take ink, which the
// caller decodes; for them DecodeValue accepts only true, false and null,
// and true is the caller's to refuse where no ink backs it (CheckInk).
func (f *Field) DecodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	bad := func(want string) error {
		return Errorf(EUNPROCESSABLE, "%s: must be %s", f.Name, want)
	}
	switch f.Type {
	case FieldText, FieldNumber, FieldDate:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, bad("a JSON string (numbers and dates as written on paper)")
		}
		return s, nil
	case FieldCheckbox, FieldSignature, FieldDrawing:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return nil, bad("true or false")
		}
		return b, nil
	case FieldChoice:
		if f.Multiple {
			var a []string
			if json.Unmarshal(raw, &a) != nil {
				return nil, bad("an array of option values")
			}
			return a, nil
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, bad("an option's value as a string")
		}
		return s, nil
	}
	return nil, bad("a known field type")
}

// Signature and drawing fields record that ink is there, so their value
// must never say more than the ink does. These rules are the one place that
// says so; capture, interpretation and verification apply them.
//
//   - A digital submission gives such a field ink ({"strokes": [...]}) or
//     false; true is refused (PresenceNeedsInk), since a device that
//     captured a signature can send it.
//   - Its value is read from the ink in its box, pen or digital alike,
//     with the same assignment and thresholds (package interpret).
//   - A verifier may set it to false, or to true only when the document has
//     ink assigned to the field (CheckInk): a person may accept ink that is
//     there, never invent it. Approval checks the same.

// TakesInk reports whether the field's value is the presence of ink
// (signature and drawing fields): true only when ink is in its box.
func (f *Field) TakesInk() bool { return f.Type == FieldSignature || f.Type == FieldDrawing }

// inkWords are what a field that takes ink is called and what its value
// true claims.
func (f *Field) inkWords() (noun, claim, none string) {
	if f.Type == FieldDrawing {
		return "a drawing", "drawn", "not drawn"
	}
	return "a signature", "signed", "unsigned"
}

// PresenceNeedsInk is the problem of a digital submission that sends true,
// instead of ink, for a field that takes ink.
func (f *Field) PresenceNeedsInk() string {
	noun, _, none := f.inkWords()
	return "must be ink, not true: " + noun + ` is ink, so send its strokes ({"strokes": [...]} in millimetres from the box's top-left corner), or false for ` + none
}

// CheckInk returns the problem with value v of a field that takes ink when
// the document has no ink assigned to the field (inked false) but v says it
// is signed or drawn; "" when there is none, and always for other fields.
func (f *Field) CheckInk(v any, inked bool) string {
	if !f.TakesInk() || inked || v != true {
		return ""
	}
	_, claim, _ := f.inkWords()
	return "is marked " + claim + ", but the document has no ink in its box"
}

// ValueText returns a field value as people read it, in e-mails and PDFs
// alike: "" for none, "yes" or "no" for a box, options joined by ", ",
// numbers without exponent.
func ValueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []string:
		return strings.Join(x, ", ")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ValueText(e)
		}
		return strings.Join(parts, ", ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
