package sqlstore_test

import (
	"context"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// rowCounts counts what an org has stored, so a test can check that a
// replay or a refusal stored nothing.
func rowCounts(t *testing.T, db *sqlstore.DB, orgID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"documents", "ink", "jobs", "submissions", "quarantine", "status_changes"} {
		out[table] = db.Count(t, table, "org_id = ?", orgID)
	}
	return out
}

// wantConflict fails unless err is ECONFLICT naming the submission ID.
func wantConflict(t *testing.T, err error, id string) {
	t.Helper()
	wantCode(t, err, inkform.ECONFLICT)
	if msg := inkform.ErrorMessage(err); !strings.Contains(msg, `"`+id+`"`) || !strings.Contains(msg, "different submission") {
		t.Errorf("conflict message %q does not name the ID %q", msg, id)
	}
}

func TestCaptureIdempotencyContract(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		addr := f.Pages[0].Address
		sub := submission("gw-1/0001", pageInk(addr, 3, 10))
		first := capture(t, db, org.ID, sub)
		before := rowCounts(t, db, org.ID)

		// The fingerprint covers the decoded ink and the pen, not the
		// body's bytes: the same ink in another encoding is a replay.
		same := submission(sub.SubmissionID, pageInk(addr, 3, 10))
		same.ContentType, same.Raw = "application/json", []byte(`{"the":"same ink as JSON"}`)
		again := capture(t, db, org.ID, same)
		if !again.Replayed || !reflect.DeepEqual(again.Documents, first.Documents) {
			t.Errorf("replay = %+v, want %+v replayed", again, first)
		}
		otherPen := submission(sub.SubmissionID, pageInk(addr, 3, 10))
		otherPen.PenID = "AJX-AAB-7KH-99"
		moreInk := submission(sub.SubmissionID, pageInk(addr, 4, 10))
		moved := submission(sub.SubmissionID, pageInk(addr, 3, 10))
		moved.Pages[0].Strokes[0].Points[0].X += 0.5
		unknownAddr := submission(sub.SubmissionID, pageInk("70.9.9.9", 3, 10))
		for name, s := range map[string]*inkform.InkSubmission{
			"another pen": otherPen, "more ink": moreInk, "a point moved": moved, "an unknown address": unknownAddr,
		} {
			_, err := db.CaptureInk(ctx, org.ID, s)
			if inkform.ErrorCode(err) != inkform.ECONFLICT {
				t.Errorf("%s under a used ID: %v, want a conflict", name, err)
				continue
			}
			wantConflict(t, err, sub.SubmissionID)
		}
		if after := rowCounts(t, db, org.ID); !maps.Equal(after, before) {
			t.Errorf("rows after replays and conflicts %v, want %v", after, before)
		}

		// A submission stored before fingerprints (NULL) replays whatever
		// comes with its ID.
		db.Exec(t, "UPDATE submissions SET fingerprint = NULL WHERE org_id = ? AND submission_id = ?", org.ID, sub.SubmissionID)
		if res := capture(t, db, org.ID, moreInk); !res.Replayed || res.Documents[0].ID != first.Documents[0].ID {
			t.Errorf("other content under a legacy ID = %+v, want the stored result", res)
		}
	})
}

// TestCaptureConflictInOneBatch sends two different submissions with one
// ID at once, so that they usually share a batch: one is stored, the other
// is a conflict.
func TestCaptureConflictInOneBatch(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.CaptureInk(ctx, org.ID, submission("race", pageInk(f.Pages[0].Address, i+1, 5)))
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("errors %v, want exactly one conflict", errs)
		}
		for _, err := range errs {
			if err != nil {
				wantConflict(t, err, "race")
			}
		}
		want := map[string]int{"documents": 1, "ink": 1, "jobs": 1, "submissions": 1, "quarantine": 0, "status_changes": 1}
		if got := rowCounts(t, db, org.ID); !maps.Equal(got, want) {
			t.Errorf("rows %v, want %v", got, want)
		}
	})
}

func TestSubmitDigitalIdempotencyContract(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		g := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		sig := func(x float64) map[string][]inkform.Stroke {
			return map[string][]inkform.Stroke{"sig": {{Points: []inkform.Point{{X: x, Y: 2}, {X: 3, Y: 4, T: 10}}}}}
		}
		sub := func(form string, values map[string]any, ink map[string][]inkform.Stroke) *inkform.DigitalSubmission {
			return &inkform.DigitalSubmission{FormID: form, SubmissionID: "tablet-3/17", Values: values, Ink: ink}
		}
		doc, replayed, err := db.SubmitDigital(ctx, org.ID, sub(f.ID, map[string]any{"patient": "Ann", "age": "42"}, sig(1)))
		if err != nil || replayed {
			t.Fatalf("first submission: replayed %v, %v", replayed, err)
		}
		before := rowCounts(t, db, org.ID)

		// The same content, built anew (map order is random, and a null
		// value is no value): a replay of the same document.
		again, replayed, err := db.SubmitDigital(ctx, org.ID, sub(f.ID, map[string]any{"age": "42", "patient": "Ann", "ok": nil}, sig(1)))
		if err != nil || !replayed || again.ID != doc.ID {
			t.Errorf("replay: %+v, replayed %v, %v", again, replayed, err)
		}
		for name, s := range map[string]*inkform.DigitalSubmission{
			"another value": sub(f.ID, map[string]any{"patient": "Bob", "age": "42"}, sig(1)),
			"another field": sub(f.ID, map[string]any{"patient": "Ann", "age": "42", "ok": true}, sig(1)),
			"other ink":     sub(f.ID, map[string]any{"patient": "Ann", "age": "42"}, sig(1.01)),
			"no ink":        sub(f.ID, map[string]any{"patient": "Ann", "age": "42"}, nil),
			"another form":  sub(g.ID, map[string]any{"patient": "Ann", "age": "42"}, sig(1)),
		} {
			_, replayed, err := db.SubmitDigital(ctx, org.ID, s)
			if inkform.ErrorCode(err) != inkform.ECONFLICT || replayed {
				t.Errorf("%s under a used ID: replayed %v, %v, want a conflict", name, replayed, err)
				continue
			}
			wantConflict(t, err, s.SubmissionID)
		}
		// Ink and digital submissions share the IDs of an org: one kind's
		// ID is a conflict for the other.
		_, err = db.CaptureInk(ctx, org.ID, submission("tablet-3/17", pageInk(f.Pages[0].Address, 1, 5)))
		wantConflict(t, err, "tablet-3/17")
		if after := rowCounts(t, db, org.ID); !maps.Equal(after, before) {
			t.Errorf("rows after replays and conflicts %v, want %v", after, before)
		}
		capture(t, db, org.ID, submission("pen/1", pageInk(f.Pages[0].Address, 1, 5)))
		_, _, err = db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: f.ID, SubmissionID: "pen/1",
			Values: map[string]any{"patient": "Ann"}})
		wantConflict(t, err, "pen/1")
	})
}

// TestSubmissionIDRules checks that the store itself refuses submission
// IDs no database stores alike (PostgreSQL refuses byte 0xFF in text).
func TestSubmissionIDRules(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		for _, id := range []string{"pen\xff", "pen\x00", "pen\x1b[2J", "pen\u0085", strings.Repeat("k", inkform.MaxSubmissionIDLength+1)} {
			_, err := db.CaptureInk(ctx, org.ID, submission(id, pageInk(f.Pages[0].Address, 1, 5)))
			wantCode(t, err, inkform.EINVALID)
			_, _, err = db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: f.ID, SubmissionID: id,
				Values: map[string]any{"patient": "Ann"}})
			wantCode(t, err, inkform.EINVALID)
		}
		want := map[string]int{"documents": 0, "ink": 0, "jobs": 0, "submissions": 0, "quarantine": 0, "status_changes": 0}
		if got := rowCounts(t, db, org.ID); !maps.Equal(got, want) {
			t.Errorf("rows %v after refused IDs, want none", got)
		}
	})
}

// TestReprocessUnderUsedID reprocesses quarantined ink whose submission ID
// was used meanwhile: by the same ink (a replay, the entry is dropped) or by
// other ink (a conflict, the entry stays for an admin to decide).
func TestReprocessUnderUsedID(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		const addr = "70.3.12.6"
		held := submission("late-1", pageInk(addr, 2, 5))
		_, err := db.CaptureInk(ctx, org.ID, held)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		_, err = db.CaptureInk(ctx, org.ID, held) // the gateway retries: a second entry
		wantCode(t, err, inkform.EUNPROCESSABLE)
		entries, err := db.ListQuarantine(ctx, org.ID)
		if err != nil || len(entries) != 2 {
			t.Fatalf("quarantine = %v, %v", entries, err)
		}
		tpl := template(inkform.PatternCopied, 1)
		tpl.Pages[0].Address = addr
		if _, err := db.CreateForm(ctx, org.ID, tpl); err != nil {
			t.Fatal(err)
		}
		first, err := db.ReprocessQuarantined(ctx, org.ID, entries[0].ID, held)
		if err != nil || first.Replayed {
			t.Fatalf("reprocess = %+v, %v", first, err)
		}
		res, err := db.ReprocessQuarantined(ctx, org.ID, entries[1].ID, held)
		if err != nil || !res.Replayed || !reflect.DeepEqual(res.Documents, first.Documents) {
			t.Fatalf("reprocess of the retry = %+v, %v; want a replay of %+v", res, err, first)
		}

		other := submission("late-2", pageInk(addr, 1, 5))
		other.Pages[0].Address = "70.3.12.7"
		_, err = db.CaptureInk(ctx, org.ID, other)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		capture(t, db, org.ID, submission("late-2", pageInk(addr, 3, 5)))
		entries, _ = db.ListQuarantine(ctx, org.ID)
		if len(entries) != 1 {
			t.Fatalf("quarantine = %v, want the late-2 entry", entries)
		}
		tpl.Pages[0].Address = "70.3.12.7"
		if _, err := db.CreateForm(ctx, org.ID, tpl); err != nil {
			t.Fatal(err)
		}
		before := rowCounts(t, db, org.ID)
		_, err = db.ReprocessQuarantined(ctx, org.ID, entries[0].ID, other)
		wantConflict(t, err, "late-2")
		if after := rowCounts(t, db, org.ID); !maps.Equal(after, before) {
			t.Errorf("rows after a conflicting reprocess %v, want %v (the entry kept)", after, before)
		}
	})
}
