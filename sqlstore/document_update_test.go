package sqlstore_test

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestSaveInterpretation(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternUnique, 1)
		copies, err := db.CreateCopies(ctx, org.ID, form.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		addr := copies[0].Addresses[0]
		res := capture(t, db, org.ID, submission("", pageInk(addr, 3, 20)))
		id := res.Documents[0].ID

		in := &inkform.Interpretation{
			Fields: map[string]inkform.FieldValue{"patient": {Value: "ANNA", Confidence: 0.5, Source: inkform.SourceICR, Valid: true}},
			Status: inkform.StatusNeedsVerification, Cause: "patient: confidence 0.500 below 0.900", InkRows: 1,
		}
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || !saved {
			t.Fatalf("SaveInterpretation = %v, %v", saved, err)
		}
		d, _ := db.FindDocument(ctx, org.ID, id)
		if d.Status != inkform.StatusNeedsVerification || d.Fields["patient"].Value != "ANNA" {
			t.Fatalf("document after interpretation: %+v", d)
		}
		hist, _ := db.ListStatusChanges(ctx, org.ID, id)
		if len(hist) != 2 || hist[1].To != inkform.StatusNeedsVerification || hist[1].Cause != in.Cause || hist[1].From != inkform.StatusReceived {
			t.Fatalf("history %+v", hist)
		}

		// A verifier corrects a value; a later interpretation keeps it.
		if _, err := db.UpdateFields(ctx, org.ID, id, map[string]inkform.FieldValue{
			"patient": {Value: "ANNE", Confidence: 1, Source: inkform.SourceVerifier, Valid: true},
		}, "ann", "verifier"); err != nil {
			t.Fatal(err)
		}
		// New ink arrives: an interpretation of the old ink is dropped.
		capture(t, db, org.ID, submission("", pageInk(addr, 1, 20)))
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || saved {
			t.Fatalf("a stale interpretation was saved: %v, %v", saved, err)
		}
		in.InkRows, in.Status, in.Cause = 2, inkform.StatusValidated, "all fields read"
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || !saved {
			t.Fatalf("SaveInterpretation = %v, %v", saved, err)
		}
		d, _ = db.FindDocument(ctx, org.ID, id)
		if d.Fields["patient"].Value != "ANNE" || d.Fields["patient"].Source != inkform.SourceVerifier || d.Status != inkform.StatusValidated {
			t.Errorf("verifier's value or status lost: %+v", d)
		}

		d, err = db.SetStatus(ctx, org.ID, id, inkform.StatusNeedsVerification, "reopened")
		if err != nil || d.Status != inkform.StatusNeedsVerification {
			t.Fatalf("SetStatus = %+v, %v", d, err)
		}
		other := newOrg(t, db)
		_, err = db.SetStatus(ctx, other.ID, id, inkform.StatusValidated, "x")
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.UpdateFields(ctx, other.ID, id, nil, "x", "x")
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.SaveInterpretation(ctx, other.ID, id, in)
		wantCode(t, err, inkform.ENOTFOUND)
	})
}
