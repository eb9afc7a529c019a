package pipeline

import (
	"context"
	"fmt"
	"log/slog"

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
	// Render, when set, renders each saved interpretation's PDF in the
	// same job instead of leaving it to a render job (see Work).
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
	res.RenderedByCaller = w.Render != nil
	saved, err := w.Updater.SaveInterpretation(ctx, org, id, res)
	if err != nil {
		return fmt.Errorf("save interpretation: %w", err)
	}
	w.Logger.Debug("interpreted", "document", id, "status", res.Status, "saved", saved)
	if !saved || w.Render == nil {
		return nil
	}
	return w.renderSaved(ctx, org, id, form, di)
}

// renderSaved renders the state the interpretation just saved, on a node
// that renders too: the document's next step, without a render job to
// insert, claim and complete and without reading the document, its form
// and its ink once more in another job. The interpretation is committed
// by now, so a failure here retries the whole job (interpreting again
// saves an equal result); a change made meanwhile (a verifier's
// correction, newer ink) enqueued its own render or interpretation.
func (w *InterpretWorker) renderSaved(ctx context.Context, org, id string, form *inkform.Form, di *inkform.DocumentInk) error {
	doc, err := w.Documents.FindDocument(ctx, org, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return queue.Cancel(fmt.Errorf("document %s is gone", id))
	} else if err != nil {
		return fmt.Errorf("find document: %w", err)
	}
	return w.Render.render(ctx, org, doc, form, di)
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
