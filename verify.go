package inkform

import "context"

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
	// RenderedByCaller says the caller renders the saved state itself (an
	// interpret worker on a node that also renders): the store enqueues no
	// render job for it. Deliveries held for the PDF are made due when the
	// caller records the render (RenderStore.SaveRender), as with a job.
	RenderedByCaller bool
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
