package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/pipeline"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
)

// TestExportToBothStores runs export subscriptions of every format against a
// real SQLite store and a real rendered PDF, writing to a disk target and
// to an S3 target (skipped when INKFORM_TEST_S3_ENDPOINT is unset), each
// opened from an --export-targets value, and lists each target
// afterwards. Not parallel: the S3 credentials are environment variables
// of the process.
func TestExportToBothStores(t *testing.T) {
	ctx := context.Background()
	db, org, form := openSampleStore(t, "sqlite:"+filepath.Join(t.TempDir(), "inkform.db"), nil)
	doc, _, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: form.ID,
		Values: map[string]any{"patient_no": "407215", "visit_date": "270226", "dressing_changed": true},
		Ink: map[string][]inkform.Stroke{"signature": {{Points: []inkform.Point{
			{X: 5, Y: 10}, {X: 20, Y: 4}, {X: 35, Y: 15}, {X: 50, Y: 5}, {X: 70, Y: 12}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	mainStore, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &pipeline.RenderWorker{Documents: db, Forms: db, Renders: db, Printer: pdf.Printer{}, Blobs: mainStore,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := w.Work(ctx, &queue.Job[inkform.RenderPDFArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.RenderPDFArgs{DocumentID: doc.ID}}); err != nil {
		t.Fatalf("render: %v", err)
	}
	render, err := db.FindRender(ctx, org.ID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	pdf := blobBytes(t, mainStore, render.Key)

	env := &exportEnv{db: db, org: org, form: form, doc: doc, pdf: pdf, main: mainStore}
	t.Run("disk", func(t *testing.T) { env.exportAndList(t, "disk="+t.TempDir()) })
	t.Run("s3", func(t *testing.T) {
		s3t := newTestS3(t, "export")
		if s3t == nil {
			t.Skip("INKFORM_TEST_S3_ENDPOINT is unset: skipping the export to S3 (see .ci/run for a versitygw command)")
		}
		env.exportAndList(t, "lake="+s3t.url())
	})
}

// exportEnv is a document with its rendered PDF in a real store.
type exportEnv struct {
	db   *sqlstore.DB
	org  *inkform.Org
	form *inkform.Form
	doc  *inkform.Document
	pdf  []byte
	main inkform.BlobStore
}

// exportAndList opens the one target of spec, exports the document to it
// in every format through subscriptions stored in the database, and checks
// what the target holds afterwards, the delivery log and the audit log.
func (env *exportEnv) exportAndList(t *testing.T, spec string) {
	ctx := context.Background()
	db, org, form, doc := env.db, env.org, env.form, env.doc
	targets, err := openExportTargets(ctx, spec)
	if err != nil || len(targets) != 1 {
		t.Fatalf("open %q: %d targets, %v", spec, len(targets), err)
	}
	e := &deliver.Exporter{Subscriptions: db, Documents: db, Forms: db, Renders: db, Blobs: env.main, Targets: targets, Marker: db}
	audited := func() int {
		events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentExport})
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	before := audited()
	eventAt := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	for name, target := range targets {
		if remote, ok := target.(*blob.S3); ok {
			t.Cleanup(func() {
				remote.List(ctx, "", func(b inkform.BlobInfo) error { return remote.Delete(ctx, b.Key) })
			})
		}
		want := map[string]string{} // key → format
		for _, format := range inkform.ExportFormats() {
			h := &inkform.Subscription{FormID: form.ID, Type: inkform.SubscriptionExport, Target: name, Format: format,
				Path: "forms/{form}/{yyyy}-{mm}/{document}.{ext}", Events: []string{inkform.EventDocumentValidated}}
			if err := db.CreateSubscription(ctx, org.ID, h, ""); err != nil {
				t.Fatal(err)
			}
			args := inkform.DeliverArgs{SubscriptionID: h.ID, DocumentID: doc.ID, Event: inkform.EventDocumentValidated,
				MessageID: inkform.NewID(), EventAt: eventAt}
			if err := e.Deliver(ctx, org.ID, args, 1); err != nil {
				t.Fatalf("%s: deliver: %v", format, err)
			}
			want[org.ID+"/forms/"+form.ID+"/2026-11/"+doc.ID+"."+format] = format
			if ds, err := db.ListDeliveries(ctx, org.ID, h.ID, 10); err != nil || len(ds) != 1 || ds[0].Error != "" {
				t.Errorf("%s: delivery log %+v, %v; want one successful attempt", format, ds, err)
			}
		}

		var keys []string
		if err := target.List(ctx, "", func(b inkform.BlobInfo) error { keys = append(keys, b.Key); return nil }); err != nil {
			t.Fatalf("list: %v", err)
		}
		if !slices.Equal(keys, slices.Sorted(maps.Keys(want))) {
			t.Fatalf("%s holds %v, want %v", name, keys, want)
		}
		for key, format := range want {
			got := blobBytes(t, target, key)
			switch format {
			case inkform.ExportPDF:
				if !bytes.Equal(got, env.pdf) || !bytes.HasPrefix(got, []byte("%PDF-")) {
					t.Errorf("%s: %d bytes, not the document's %d-byte PDF", key, len(got), len(env.pdf))
				}
			case inkform.ExportJSON:
				var d struct {
					ID     string                        `json:"id"`
					Fields map[string]inkform.FieldValue `json:"fields"`
					Links  inkform.Links                 `json:"links"`
				}
				if err := json.Unmarshal(got, &d); err != nil || d.ID != doc.ID || d.Fields["patient_no"].Value != "407215" ||
					d.Links.PDF != "/api/v1/documents/"+doc.ID+"/pdf" {
					t.Errorf("%s: %s (%v)", key, got, err)
				}
			case inkform.ExportCSV:
				recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
				// The signature is empty: interpretation, which this test
				// does not run, reads it from its ink.
				want := []string{doc.ID, form.ID, "1", string(doc.Status), "", doc.PenID,
					doc.CreatedAt.UTC().Format(time.RFC3339), doc.UpdatedAt.UTC().Format(time.RFC3339), "407215", "270226", "true", "", ""}
				if err != nil || len(recs) != 2 || recs[0][8] != "patient_no" || !slices.Equal(recs[1], want) {
					t.Errorf("%s: %q (%v), want the row %q", key, got, err, want)
				}
			}
		}
	}
	if n := audited() - before; n != len(inkform.ExportFormats()) {
		t.Errorf("audit: %d new document.export events, want %d", n, len(inkform.ExportFormats()))
	}
}

// blobBytes reads a whole object.
func blobBytes(t *testing.T, s inkform.BlobStore, key string) []byte {
	t.Helper()
	rc, _, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b
}
