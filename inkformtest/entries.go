package inkformtest

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
)

// ExerciseEntryStore runs the EntryStore contract against Entries, with
// field histories written through Updater, over documents made by
// NewDocument.
func ExerciseEntryStore(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Entries", testEntries},
		{"FieldChanges", testFieldChanges},
		{"Isolation", testEntryIsolation},
	})
}

func testEntries(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	id := fx.docs[0].ID
	if es, err := s.Entries.ListEntries(ctx, fx.org.ID, id); err != nil || len(es) != 0 {
		t.Fatalf("entries of a new document: %+v (%v)", es, err)
	}
	if err := s.Entries.AddEntries(ctx, fx.org.ID, id, "ann", map[string]any{"patient": "Anna", "urgent": true}); err != nil {
		t.Fatal(err)
	}
	nextMillisecond()
	if err := s.Entries.AddEntries(ctx, fx.org.ID, id, "bob", map[string]any{"patient": "Anna"}); err != nil {
		t.Fatal(err)
	}
	// Typing a field twice is refused, and nothing of the call is kept.
	err := s.Entries.AddEntries(ctx, fx.org.ID, id, "bob", map[string]any{"urgent": false, "patient": "Hanna"})
	wantCode(t, "bob types patient again", err, inkform.ECONFLICT)
	es, err := s.Entries.ListEntries(ctx, fx.org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	want := []inkform.Entry{
		{DocumentID: id, Field: "patient", UserID: "ann", Value: "Anna"},
		{DocumentID: id, Field: "urgent", UserID: "ann", Value: true},
		{DocumentID: id, Field: "patient", UserID: "bob", Value: "Anna"},
	}
	if len(es) != len(want) {
		t.Fatalf("entries %+v, want %+v", es, want)
	}
	// Within one call the order is not promised; across calls it is.
	if es[0].Field == "urgent" {
		es[0], es[1] = es[1], es[0]
	}
	for i, w := range want {
		e := es[i]
		if e.DocumentID != w.DocumentID || e.Field != w.Field || e.UserID != w.UserID || !inkform.SameValue(e.Value, w.Value) || e.At.IsZero() {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
	if !es[2].At.After(es[0].At) {
		t.Errorf("bob's entry at %v is not after ann's at %v", es[2].At, es[0].At)
	}
	if st := inkform.EntryStates(es)["patient"]; st.State != inkform.EntriesAgree || st.Value != "Anna" {
		t.Errorf("patient's entries stand at %+v; want agreed on Anna", st)
	}
	_, err = s.Entries.ListEntries(ctx, fx.org.ID, inkform.NewID())
	wantCode(t, "entries of an unknown document", err, inkform.ENOTFOUND)
	err = s.Entries.AddEntries(ctx, fx.org.ID, inkform.NewID(), "ann", map[string]any{"patient": "x"})
	wantCode(t, "entries for an unknown document", err, inkform.ENOTFOUND)
}

func testFieldChanges(t *testing.T, s Stores) {
	need(t, "Updater", s.Updater != nil)
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	id := fx.docs[0].ID
	set := func(by, cause string, fields map[string]any) {
		t.Helper()
		fv := map[string]inkform.FieldValue{}
		for name, v := range fields {
			fv[name] = inkform.FieldValue{Value: v, Confidence: 1, Source: inkform.SourceVerifier, Valid: true, Problems: []string{}}
		}
		if _, err := s.Updater.UpdateFields(ctx, fx.org.ID, id, fv, by, cause); err != nil {
			t.Fatal(err)
		}
		nextMillisecond()
	}
	set("ann", "first", map[string]any{"patient": "Anna", "urgent": true})
	set("bob", "second", map[string]any{"patient": "Hanna", "urgent": true}) // urgent unchanged: no change recorded
	changes, err := s.Entries.ListFieldChanges(ctx, fx.org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 {
		t.Fatalf("changes %+v; want 3 (urgent once)", changes)
	}
	if changes[0].Field == "urgent" {
		changes[0], changes[1] = changes[1], changes[0]
	}
	want := []inkform.FieldChange{
		{Field: "patient", From: nil, To: "Anna", Source: inkform.SourceVerifier, By: "ann", Cause: "first"},
		{Field: "urgent", From: nil, To: true, Source: inkform.SourceVerifier, By: "ann", Cause: "first"},
		{Field: "patient", From: "Anna", To: "Hanna", Source: inkform.SourceVerifier, By: "bob", Cause: "second"},
	}
	for i, w := range want {
		c := changes[i]
		if c.Field != w.Field || !inkform.SameValue(c.From, w.From) || !inkform.SameValue(c.To, w.To) ||
			c.Source != w.Source || c.By != w.By || c.Cause != w.Cause || c.At.IsZero() {
			t.Errorf("change %d = %+v, want %+v", i, c, w)
		}
	}
	if !changes[2].At.After(changes[0].At) {
		t.Errorf("changes out of order: %+v", changes)
	}
	_, err = s.Entries.ListFieldChanges(ctx, fx.org.ID, inkform.NewID())
	wantCode(t, "changes of an unknown document", err, inkform.ENOTFOUND)
}

func testEntryIsolation(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	other := newOrg(t, s.Orgs)
	id := fx.docs[0].ID
	if err := s.Entries.AddEntries(ctx, fx.org.ID, id, "ann", map[string]any{"patient": "Anna"}); err != nil {
		t.Fatal(err)
	}
	err := s.Entries.AddEntries(ctx, other.ID, id, "eve", map[string]any{"patient": "x"})
	wantCode(t, "another org adds entries", err, inkform.ENOTFOUND)
	_, err = s.Entries.ListEntries(ctx, other.ID, id)
	wantCode(t, "another org lists entries", err, inkform.ENOTFOUND)
	_, err = s.Entries.ListFieldChanges(ctx, other.ID, id)
	wantCode(t, "another org lists field changes", err, inkform.ENOTFOUND)
	if es, err := s.Entries.ListEntries(ctx, fx.org.ID, id); err != nil || len(es) != 1 {
		t.Errorf("entries %+v (%v); want ann's alone", es, err)
	}
}
