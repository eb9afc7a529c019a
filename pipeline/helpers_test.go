package pipeline

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/examples"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/interpret"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/sqlstore"
)

// The workers' tests run on real databases: sqlstore is imported here, in
// tests only, to open them. The package itself knows only the root
// package's interfaces.

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// sqliteDSN returns the DSN of a fresh SQLite database in a temporary
// directory.
func sqliteDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "inkform.db")
}

// sampleTemplate returns the sample form (examples/wound-check.json),
// changed by tweak when given.
func sampleTemplate(t testing.TB, tweak func(*inkform.FormTemplate)) *inkform.FormTemplate {
	t.Helper()
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(examples.WoundCheckForm, &tmpl); err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(&tmpl)
	}
	return &tmpl
}

// openSampleStore opens and migrates the database at dsn and makes an org
// with the sample form, changed by tweak when given. The database closes
// when the test ends.
func openSampleStore(t testing.TB, dsn string, opts sqlstore.Options, tweak func(*inkform.FormTemplate)) (*sqlstore.DB, *inkform.Org, *inkform.Form) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrg(ctx, "clinic")
	if err != nil {
		t.Fatal(err)
	}
	form, err := db.CreateForm(ctx, org.ID, sampleTemplate(t, tweak))
	if err != nil {
		t.Fatal(err)
	}
	return db, org, form
}

// newDisk returns a disk blob store in a temporary directory.
func newDisk(t testing.TB) *blob.Disk {
	t.Helper()
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sampleSignature is a signature across the sample form's signature box,
// in millimetres from the box's corner, as a device sends it.
var sampleSignature = inkform.Stroke{Points: []inkform.Point{{X: 5, Y: 10}, {X: 20, Y: 4}, {X: 35, Y: 15}, {X: 50, Y: 5}, {X: 70, Y: 12}}}

// submitSample submits a valid digital document of the sample form.
func submitSample(t testing.TB, db *sqlstore.DB, org, form string) *inkform.Document {
	t.Helper()
	doc, _, err := db.SubmitDigital(context.Background(), org, &inkform.DigitalSubmission{FormID: form,
		Values: map[string]any{"patient_no": "407215", "visit_date": "270226"},
		Ink:    map[string][]inkform.Stroke{"signature": {sampleSignature}}})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// newRenderWorker returns a render worker on db and blobs.
func newRenderWorker(db *sqlstore.DB, blobs inkform.BlobStore) *RenderWorker {
	return &RenderWorker{Documents: db, Forms: db, Renders: db, Printer: pdf.Printer{}, Blobs: blobs, Logger: discardLogger()}
}

// newInterpretWorker returns an interpret worker on db whose recognizer
// reads every field as 407215 (the sample's patient number); it saves
// through updater and renders with render (nil: render jobs).
func newInterpretWorker(db *sqlstore.DB, updater inkform.DocumentUpdater, render *RenderWorker) *InterpretWorker {
	return &InterpretWorker{Documents: db, Forms: db, Updater: updater, Interpreter: interpret.Engine{}, Logger: discardLogger(),
		Recognizers: &Recognizers{Builtin: namedRecognizer("407215"), Logger: discardLogger()}, Render: render}
}

// captureSamples captures the sample page n times and returns the
// documents' IDs.
func captureSamples(tb testing.TB, db *sqlstore.DB, org string, n int) []string {
	tb.Helper()
	data, err := os.ReadFile("../examples/wound-check.inkml")
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		sub, err := inkml.Parse(data, inkml.DefaultLimits())
		if err != nil {
			tb.Fatal(err)
		}
		res, err := db.CaptureInk(context.Background(), org, sub)
		if err != nil || len(res.Documents) != 1 {
			tb.Fatalf("capture: %+v, %v", res, err)
		}
		ids[i] = res.Documents[0].ID
	}
	return ids
}
