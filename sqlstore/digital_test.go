package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestSubmitDigitalRejects(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		stroke := []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 1}, {X: 2, Y: 2}}}}
		// The rules themselves are tested in the root package
		// (TestDigitalFields); here, that a refusal stores nothing.
		tests := []struct {
			name   string
			values map[string]any
			ink    map[string][]inkform.Stroke
			paths  []string // problem paths, sorted
		}{
			{"out of range and wrong type", map[string]any{"patient": "Ann", "age": "140", "ok": "yes"}, nil, []string{"fields.age", "fields.ok"}},
			{"ink on a text field", map[string]any{"patient": "Ann"}, map[string][]inkform.Stroke{"patient": stroke}, []string{"fields.patient"}},
			{"true instead of a signature's ink", map[string]any{"patient": "Ann", "sig": true}, nil, []string{"fields.sig"}},
		}
		for _, tt := range tests {
			_, _, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: f.ID, Values: tt.values, Ink: tt.ink})
			wantCode(t, err, inkform.EUNPROCESSABLE)
			var paths []string
			for _, p := range inkform.ErrorProblems(err) {
				paths = append(paths, p.Path)
			}
			if !reflect.DeepEqual(paths, tt.paths) {
				t.Errorf("%s: problems at %v, want %v (%v)", tt.name, paths, tt.paths, inkform.ErrorProblems(err))
			}
		}
		_, _, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: inkform.NewID()})
		wantCode(t, err, inkform.ENOTFOUND)
		for _, table := range []string{"documents", "jobs", "ink"} {
			if n := db.Count(t, table, "org_id = ?", org.ID); n != 0 {
				t.Errorf("%d rows in %s after refused submissions", n, table)
			}
		}
	})
}

func TestSubmitDigital(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		sig := []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 2, T: 0}, {X: 3.5, Y: 4.25, T: 10}}}}
		sub := &inkform.DigitalSubmission{
			FormID: f.ID, SubmissionID: "tablet-7/1",
			Values: map[string]any{"patient": "Ann Smith", "age": "042", "ok": true, "colours": []string{"blue", "red"}},
			Ink:    map[string][]inkform.Stroke{"sig": sig},
		}
		doc, _, err := db.SubmitDigital(ctx, org.ID, sub)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Status != inkform.StatusReceived || doc.FormID != f.ID || doc.FormVersion != 1 {
			t.Errorf("document = %+v", doc)
		}
		want := map[string]any{"patient": "Ann Smith", "age": "042", "ok": true, "colours": []string{"blue", "red"}}
		for name, v := range want {
			fv := doc.Fields[name]
			if !reflect.DeepEqual(fv.Value, v) || fv.Source != inkform.SourceDigital || fv.Confidence != 1 || !fv.Valid {
				t.Errorf("field %s = %+v, want value %#v", name, fv, v)
			}
		}
		// Only its ink signs: interpretation reads it from the box.
		if fv, ok := doc.Fields["sig"]; ok {
			t.Errorf("signature with ink = %+v before interpretation; want no value", fv)
		}
		// The signature's ink is stored in page coordinates (box at 20,200).
		di, err := db.FindDocumentInk(ctx, org.ID, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantInk := []inkform.PageInk{{Address: f.Pages[0].Address, Strokes: []inkform.Stroke{{Points: []inkform.Point{
			{X: 21, Y: 202, T: 0}, {X: 23.5, Y: 204.25, T: 10}}}}}}
		if !reflect.DeepEqual(di.Pages, wantInk) {
			t.Errorf("ink = %+v, want %+v", di.Pages, wantInk)
		}
		if len(doc.Pages) != 1 || doc.Pages[0].Number != 1 || doc.Pages[0].Strokes != 1 {
			t.Errorf("pages = %+v", doc.Pages)
		}
		// Resubmission returns the same document and stores nothing.
		again, replayed, err := db.SubmitDigital(ctx, org.ID, sub)
		if err != nil || again.ID != doc.ID || !replayed {
			t.Fatalf("resubmission = %+v, replayed %v, %v", again, replayed, err)
		}
		for table, n := range map[string]int{"documents": 1, "jobs": 1, "ink": 1} {
			if got := db.Count(t, table, "org_id = ?", org.ID); got != n {
				t.Errorf("%d rows in %s, want %d", got, table, n)
			}
		}
		changes, err := db.ListStatusChanges(ctx, org.ID, doc.ID)
		if err != nil || len(changes) != 1 || changes[0].Cause != "digital" {
			t.Errorf("status changes = %+v, %v", changes, err)
		}
	})
}
