package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// InterpretWorker turns a document's ink into field values and a status.
type InterpretWorker struct {
	Documents   inkform.DocumentService
	Forms       inkform.FormService
	Updater     inkform.DocumentUpdater
	Interpreter inkform.Interpreter
	Recognizers *Recognizers
	// Render, when set and Updater is an inkform.RenderedSaver, renders
	// each interpretation's PDF in the same job instead of leaving it to a
	// render job (saveRendered).
	Render *RenderWorker
	Logger *slog.Logger

	forms formVersions // see form_versions.go
}

// Work implements queue.Worker.
func (w *InterpretWorker) Work(ctx context.Context, job *queue.Job[inkform.InterpretArgs]) error {
	org, id := job.OrgID, job.Args.DocumentID
	doc, form, di, err := loadDocument(ctx, w.Documents, cachedForms{&w.forms, w.Forms}, org, id)
	if err != nil {
		return err
	}
	res, err := w.Interpreter.Interpret(ctx, w.Recognizers.ForForm(form), form, doc, di)
	if err != nil {
		return fmt.Errorf("interpret: %w", err)
	}
	if di != nil {
		res.InkRows = di.Rows
	}
	if saver, ok := w.Updater.(inkform.RenderedSaver); ok && w.Render != nil {
		return w.saveRendered(ctx, saver, org, doc, form, di, res)
	}
	// The store enqueues a render job with the interpretation.
	saved, err := w.Updater.SaveInterpretation(ctx, org, id, res)
	if err != nil {
		return fmt.Errorf("save interpretation: %w", err)
	}
	w.Logger.Debug("interpreted", "document", id, "status", res.Status, "saved", saved)
	return nil
}

// saveRendered draws the PDF of the state the interpretation leads to and
// saves both in one write (inkform.RenderedSaver): the document's next
// step without a render job to insert, claim and complete, without reading
// the document, its form and its ink once more, and with its deliveries
// due as they are enqueued. When a verifier changed the document
// meanwhile, the store saves the interpretation with a render job instead,
// and the PDF drawn here is deleted.
func (w *InterpretWorker) saveRendered(ctx context.Context, saver inkform.RenderedSaver, org string, doc *inkform.Document, form *inkform.Form, di *inkform.DocumentInk, res *inkform.Interpretation) error {
	rec, err := w.Render.draw(ctx, org, res.Interpreted(doc, stateTime(doc.UpdatedAt)), form, di)
	if err != nil {
		return err
	}
	out, err := saver.SaveRenderedInterpretation(ctx, org, doc.ID, res, rec, doc.UpdatedAt)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		// Purged meanwhile: the purge has listed the document's objects
		// already, so this one is ours to remove.
		w.Render.deleteBlob(ctx, rec.Key)
		return queue.Cancel(fmt.Errorf("document %s is gone", doc.ID))
	} else if err != nil {
		// The commit may have happened all the same, so the object stays;
		// if nothing names it, the document's purge removes it.
		return fmt.Errorf("save interpretation: %w", err)
	}
	w.Logger.Debug("interpreted", "document", doc.ID, "status", res.Status, "saved", out.Saved, "rendered", out.Rendered)
	if !out.Rendered {
		w.Render.deleteBlob(ctx, rec.Key)
		return nil
	}
	w.Render.recorded(ctx, org, rec, out.Replaced, di)
	return nil
}

// stateTime is the UpdatedAt of a state saved now after one of prev, to
// the microsecond the database keeps: later than prev even when another
// node's clock, which wrote prev, is ahead of this one's.
func stateTime(prev time.Time) time.Time {
	at := time.Now().UTC().Truncate(time.Microsecond)
	if !at.After(prev) {
		at = prev.Add(time.Microsecond)
	}
	return at
}

// Recognizers picks the engine for a form: a named remote engine, with the
// built-in one as its fallback, or the built-in engine.
type Recognizers struct {
	// Builtin reads the forms that name no engine.
	Builtin inkform.Recognizer
	// Named are the engines forms may name, by name.
	Named  map[string]inkform.Recognizer
	Logger *slog.Logger
}

// ForForm returns the recognizer a form asks for. A name no engine has
// falls back to the built-in engine (and says so in the log), so a typo in
// a template delays nothing.
func (r *Recognizers) ForForm(f *inkform.Form) inkform.Recognizer {
	if f.Recognizer == "" {
		return r.Builtin
	}
	if rec, ok := r.Named[f.Recognizer]; ok {
		return rec
	}
	r.Logger.Warn("form names an unknown remote recognizer; using the built-in engine", "form", f.ID, "recognizer", f.Recognizer)
	return r.Builtin
}
