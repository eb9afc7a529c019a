package inkform

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
