package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
)

// namedRecognizer reads every field as its name, so a test can tell which
// engine read.
type namedRecognizer string

func (r namedRecognizer) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	return inkform.Recognition{Text: string(r), Confidence: 1}, nil
}

// TestRecognizersForForm checks that a form gets the engine it names, and
// the built-in one when it names none or one this node does not have; only
// the unknown name is logged.
func TestRecognizersForForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, recognizer, want string
		warns                  bool
	}{
		{"none named", "", "builtin", false},
		{"a remote engine", "acme", "acme", false},
		{"an unknown name", "acne", "builtin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			r := &Recognizers{Builtin: namedRecognizer("builtin"),
				Named:  map[string]inkform.Recognizer{"acme": namedRecognizer("acme")},
				Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			got := r.ForForm(&inkform.Form{ID: "f1", FormTemplate: inkform.FormTemplate{Recognizer: tt.recognizer}})
			if got != namedRecognizer(tt.want) {
				t.Errorf("ForForm = %v, want %s", got, tt.want)
			}
			if warned := strings.Contains(logs.String(), "unknown remote recognizer"); warned != tt.warns {
				t.Errorf("warned %v, want %v: %s", warned, tt.warns, logs.String())
			}
		})
	}
}

// TestInterpretWorker captures the sample ink on a real store and runs the
// worker with an engine that reads every field as "407215": the values
// and a status are saved with the document, and a job for a document that
// is gone is cancelled, not retried.
func TestInterpretWorker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, _ := openSampleStore(t, sqliteDSN(t), sqlstore.Options{}, nil)
	data, err := os.ReadFile("../examples/wound-check.inkml")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := inkml.Parse(data, inkml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.CaptureInk(ctx, org.ID, sub)
	if err != nil || len(res.Documents) != 1 {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	id := res.Documents[0].ID
	w := newInterpretWorker(db, db, nil)
	job := func(id string) *queue.Job[inkform.InterpretArgs] {
		return &queue.Job[inkform.InterpretArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.InterpretArgs{DocumentID: id}}
	}
	if err := w.Work(ctx, job(id)); err != nil {
		t.Fatal(err)
	}
	doc, err := db.FindDocument(ctx, org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.Fields["patient_no"]; v.Value != "407215" || v.Source != inkform.SourceICR {
		t.Errorf("patient_no = %+v, want 407215 read by the engine", v)
	}
	history, err := db.ListStatusChanges(ctx, org.ID, id)
	if err != nil || len(history) < 2 || history[len(history)-1].Cause == "" {
		t.Errorf("status history %+v, %v; want a change with its cause", history, err)
	}

	err = w.Work(ctx, job(inkform.NewID()))
	if err == nil || !strings.HasPrefix(err.Error(), "cancelled: ") {
		t.Errorf("a job for a document that is gone: %v, want it cancelled", err)
	}
}

// failingPuts fails its first n Puts, as a full disk or a store that is
// down would.
type failingPuts struct {
	inkform.BlobStore
	n atomic.Int64
}

func (f *failingPuts) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if f.n.Add(-1) >= 0 {
		return errors.New("disk full")
	}
	return f.BlobStore.Put(ctx, key, r, size, contentType)
}

// TestInterpretWorkerRendersInline checks the two ways a saved
// interpretation gets its PDF: with a render worker at hand the interpret
// job renders and records it itself and enqueues no render job; without
// one it leaves a render job and no PDF. An inline render that fails
// fails the job, whose next run saves and renders again.
func TestInterpretWorkerRendersInline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		inline    bool
		failPuts  int64 // Puts that fail before the store works
		wantTries int   // runs of the job until it succeeds
	}{
		{"inline", true, 0, 1},
		{"render job", false, 0, 1},
		{"inline after a failed render", true, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, org, form := openSampleStore(t, sqliteDSN(t), sqlstore.Options{}, nil)
			doc := submitSample(t, db, org.ID, form.ID)
			disk := newDisk(t)
			blobs := &failingPuts{BlobStore: disk}
			blobs.n.Store(tt.failPuts)
			w := newInterpretWorker(db, db, nil)
			if tt.inline {
				w.Render = newRenderWorker(db, blobs)
			}
			job := &queue.Job[inkform.InterpretArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.InterpretArgs{DocumentID: doc.ID}}
			for try := 1; ; try++ {
				err := w.Work(ctx, job)
				if err == nil {
					if try != tt.wantTries {
						t.Fatalf("succeeded at run %d, want %d", try, tt.wantTries)
					}
					break
				}
				if try >= tt.wantTries || strings.HasPrefix(err.Error(), "cancelled: ") {
					t.Fatalf("run %d: %v", try, err)
				}
			}
			saved, err := db.FindDocument(ctx, org.ID, doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			jobs, err := db.ListJobs(ctx, org.ID, inkform.JobFilter{Kind: inkform.RenderPDFArgs{}.Kind(), State: inkform.JobAvailable})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := db.FindRender(ctx, org.ID, doc.ID)
			if !tt.inline {
				if inkform.ErrorCode(err) != inkform.ENOTFOUND || len(jobs) != 1 {
					t.Errorf("render %+v (%v), %d render jobs; want none and one job", rec, err, len(jobs))
				}
				return
			}
			if err != nil {
				t.Fatalf("no render recorded: %v", err)
			}
			if !rec.SourceUpdatedAt.Equal(saved.UpdatedAt) {
				t.Errorf("render of the state at %v, want the saved one at %v", rec.SourceUpdatedAt, saved.UpdatedAt)
			}
			if _, err := disk.Stat(ctx, rec.Key); err != nil {
				t.Errorf("recorded PDF %s: %v", rec.Key, err)
			}
			if len(jobs) != 0 {
				t.Errorf("%d render jobs enqueued; the interpret job rendered", len(jobs))
			}
			// The PDF drawn before the save shows the state saved: a
			// render of the stored document gives the same bytes.
			again, err := w.Render.draw(ctx, org.ID, saved, form, inkOf(t, db, org.ID, doc.ID))
			if err != nil {
				t.Fatal(err)
			}
			if again.Key != rec.Key || again.SHA256 != rec.SHA256 {
				t.Errorf("render of the saved document %s (%s), want the recorded %s (%s)", again.Key, again.SHA256, rec.Key, rec.SHA256)
			}
		})
	}
}

// inkOf reads a document's ink.
func inkOf(t *testing.T, db *sqlstore.DB, org, id string) *inkform.DocumentInk {
	t.Helper()
	di, err := db.FindDocumentInk(context.Background(), org, id)
	if err != nil {
		t.Fatal(err)
	}
	return di
}

// correctingSaver is a verifier who corrects patient_no between the
// interpret job's read and its save.
type correctingSaver struct {
	*sqlstore.DB
}

func (c correctingSaver) SaveRenderedInterpretation(ctx context.Context, org, id string, in *inkform.Interpretation, r *inkform.DocumentRender, readAt time.Time) (inkform.RenderedSave, error) {
	fix := map[string]inkform.FieldValue{"patient_no": {Value: "407216", Source: inkform.SourceVerifier}}
	if _, err := c.DB.UpdateFields(ctx, org, id, fix, "verifier", "fix"); err != nil {
		return inkform.RenderedSave{}, err
	}
	return c.DB.SaveRenderedInterpretation(ctx, org, id, in, r, readAt)
}

// TestInterpretWorkerRenderRace checks that a PDF drawn before a
// verifier's correction is neither recorded nor kept: the interpretation
// is saved with the correction and a render job makes the PDF.
func TestInterpretWorkerRenderRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, form := openSampleStore(t, sqliteDSN(t), sqlstore.Options{}, nil)
	doc := submitSample(t, db, org.ID, form.ID)
	disk := newDisk(t)
	w := newInterpretWorker(db, correctingSaver{db}, newRenderWorker(db, disk))
	job := &queue.Job[inkform.InterpretArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.InterpretArgs{DocumentID: doc.ID}}
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	saved, err := db.FindDocument(ctx, org.ID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v := saved.Fields["patient_no"]; v.Value != "407216" || v.Source != inkform.SourceVerifier {
		t.Errorf("patient_no = %+v, want the verifier's 407216", v)
	}
	if rec, err := db.FindRender(ctx, org.ID, doc.ID); inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Errorf("render %+v recorded (%v); it shows the state before the correction", rec, err)
	}
	jobs, err := db.ListJobs(ctx, org.ID, inkform.JobFilter{Kind: inkform.RenderPDFArgs{}.Kind(), State: inkform.JobAvailable})
	if err != nil || len(jobs) != 1 {
		t.Errorf("%d render jobs (%v), want 1", len(jobs), err)
	}
	var left []string
	err = disk.List(ctx, inkform.DocumentBlobPrefix(org.ID, doc.ID), func(b inkform.BlobInfo) error {
		left = append(left, b.Key)
		return nil
	})
	if err != nil || len(left) != 0 {
		t.Errorf("objects left %v (%v); the unrecorded PDF must be deleted", left, err)
	}
}
