package inkform

import (
	"context"
	"time"
)

// Interpretation is the outcome of reading a document's ink: every field's
// value and the status they lead to.
type Interpretation struct {
	Fields map[string]FieldValue
	Status DocumentStatus
	// Cause says why the status is what it is, for the status history
	// (e.g. "patient_no: confidence 0.42 below 0.9").
	Cause string
	// InkRows is how many stored ink rows the interpretation read
	// (DocumentInk.Rows). When more ink arrived meanwhile, the store
	// drops this result: the job enqueued with the new ink reads it all.
	InkRows int
}

// Apply returns the fields the interpretation saves over a document's
// current ones: its own, except where a verifier set the value, because a
// person's correction wins over any reading of the ink.
func (in *Interpretation) Apply(current map[string]FieldValue) map[string]FieldValue {
	fields := make(map[string]FieldValue, len(in.Fields))
	for name, v := range in.Fields {
		fields[name] = v
	}
	for name, v := range current {
		if v.Source == SourceVerifier {
			fields[name] = v
		}
	}
	return fields
}

// Interpreted is the state of doc, read at doc.UpdatedAt, once the
// interpretation is saved over it at the time at: what its PDF shows when
// nothing changes the document in between (RenderedSaver).
func (in *Interpretation) Interpreted(doc *Document, at time.Time) *Document {
	next := *doc
	next.Fields = in.Apply(doc.Fields)
	next.Status = in.Status
	next.UpdatedAt = at
	return &next
}

// RenderedSaver is a DocumentUpdater that stores an interpretation together
// with the PDF its caller has already made and stored of the state it
// leads to, in one transaction: the interpret job of a node that renders
// too draws the PDF before it saves, so the new state is saved, recorded
// as rendered and its deliveries made due at once, without a second
// write or a second read of the document.
type RenderedSaver interface {
	// SaveRenderedInterpretation saves in as SaveInterpretation does. When
	// the document is still as the caller read it (its UpdatedAt equals
	// readAt), its new UpdatedAt is r.SourceUpdatedAt, which must be later
	// than readAt, and r, the PDF of in.Interpreted(doc, r.SourceUpdatedAt),
	// is recorded with it, replacing the document's earlier render.
	// Otherwise (a verifier changed it meanwhile) the interpretation is
	// saved with a render job for the state it leads to and r is not
	// recorded. Nothing is saved when newer ink arrived. ENOTFOUND when the
	// org has no such document.
	SaveRenderedInterpretation(ctx context.Context, orgID, docID string, in *Interpretation, r *DocumentRender, readAt time.Time) (RenderedSave, error)
}

// RenderedSave is what SaveRenderedInterpretation did.
type RenderedSave struct {
	// Saved says the interpretation was stored (false: newer ink arrived).
	Saved bool
	// Rendered says the caller's render was recorded with it; when false,
	// its object is the caller's to delete.
	Rendered bool
	// Replaced is the blob key of the render the caller's replaced, ""
	// when there was none; its object is the caller's to delete.
	Replaced string
}

// DocumentUpdater changes documents after capture: the interpretation
// pipeline and verifiers use it. Every method is scoped by org and records
// a status change, with its cause, when the status changes.
type DocumentUpdater interface {
	// SaveInterpretation stores the fields and status of an
	// interpretation. Values a verifier set are kept. It returns false
	// when the result was dropped because newer ink arrived.
	SaveInterpretation(ctx context.Context, orgID, docID string, in *Interpretation) (bool, error)
	// UpdateFields sets the given fields (already checked against the
	// form's rules) and leaves the others as they are. In the same
	// transaction it records a FieldChange, by the user or token ID by,
	// for each field whose value changed, so the history never misses a
	// stored value.
	UpdateFields(ctx context.Context, orgID, docID string, fields map[string]FieldValue, by, cause string) (*Document, error)
	// SetStatus moves a document to status.
	SetStatus(ctx context.Context, orgID, docID string, status DocumentStatus, cause string) (*Document, error)
}
