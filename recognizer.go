package inkform

import "context"

// RecognizeRequest is the ink of one recognized field (or one comb cell) to
// read.
type RecognizeRequest struct {
	Strokes []Stroke
	Charset Charset
	// Cells > 0 says the ink is already split into that many comb cells
	// (CellStrokes); 0 asks the recognizer to segment free text itself.
	Cells       int
	CellStrokes [][]Stroke
}

// Recognition is a recognizer's reading of a field: the text, a confidence
// from 0 to 1, and per character the ranked alternatives.
type Recognition struct {
	Text       string
	Confidence float64
	Chars      []CharCandidates
}

// CharCandidates are the ranked readings of one character.
type CharCandidates struct {
	Candidates []Candidate
}

// Candidate is one reading with its probability.
type Candidate struct {
	Char rune
	P    float64
}

// Recognizer reads handwriting. An engine that cannot read the ink returns
// an empty Text with confidence 0 rather than an error; errors are for
// failures (a remote engine down, a cancelled context).
type Recognizer interface {
	Recognize(ctx context.Context, req RecognizeRequest) (Recognition, error)
}

// Interpreter reads a document's ink (di, nil for a document without ink)
// into field values and a status with the recognizer rec, keeping values a
// person typed or corrected. The result's Cause says why the status is
// what it is; InkRows is left for the caller.
type Interpreter interface {
	Interpret(ctx context.Context, rec Recognizer, form *Form, doc *Document, di *DocumentInk) (*Interpretation, error)
}

// UnknownRecognizer reads nothing: every field comes back empty with
// confidence 0, so it goes to verification.
type UnknownRecognizer struct{}

// Recognize implements Recognizer.
func (UnknownRecognizer) Recognize(ctx context.Context, req RecognizeRequest) (Recognition, error) {
	return Recognition{}, nil
}
