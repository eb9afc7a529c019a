package verify_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestCorrect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	doc, err := e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"ward": "C3", "urgent": true}))
	if err != nil {
		t.Fatal(err)
	}
	if w := doc.Fields["ward"]; w.Value != "C3" || w.Source != inkform.SourceVerifier || w.Confidence != 1 || !w.Valid {
		t.Errorf("corrected ward = %+v", w)
	}
	changes, err := e.entries.ListFieldChanges(ctx, e.orgID, id)
	if err != nil || len(changes) != 2 {
		t.Fatalf("field changes %+v (%v); want ward and urgent", changes, err)
	}
	if c := changes[1]; c.Field != "ward" || c.From != "B2" || c.To != "C3" || c.By != "ann" || !strings.Contains(c.Cause, "ann") {
		t.Errorf("ward's change %+v", c)
	}
	// Values that break rules are refused, each named, and nothing is set.
	_, err = e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"ward": 7, "urgent": false, "nurse": "x"}))
	wantProblem(t, "bad values", err, "fields.ward")
	wantProblem(t, "an unknown field", err, "fields.nurse")
	if got := e.find(t, id).Fields["urgent"].Value; got != true {
		t.Errorf("urgent = %v after a refused correction; want true kept", got)
	}
	// Clearing a required field is kept; approval refuses it.
	if _, err := e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"ward": nil})); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Approve(ctx, e.orgID, id, "ann")
	wantProblem(t, "approve with ward empty", err, "fields.ward")
	_, err = e.svc.Correct(ctx, e.orgID, inkform.NewID(), "ann", raw(t, map[string]any{"ward": "x"}))
	wantCode(t, "an unknown document", err, inkform.ENOTFOUND)
}

func TestDoubleEntryAgree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	doc, err := e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"patient_no": "4712"}))
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.Fields["patient_no"]; v.Value != "4711" || v.Source != inkform.SourceICR {
		t.Errorf("the first blind entry set the value: %+v", v)
	}
	_, err = e.svc.Approve(ctx, e.orgID, id, "ann")
	wantProblem(t, "approve with one entry", err, "fields.patient_no")
	if err := e.leases.ReleaseLease(ctx, e.orgID, id, "ann"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"patient_no": "4712"}))
	wantCode(t, "ann types twice", err, inkform.ECONFLICT)
	if err := e.leases.ReleaseLease(ctx, e.orgID, id, "ann"); err != nil {
		t.Fatal(err)
	}
	doc, err = e.svc.Correct(ctx, e.orgID, id, "bob", raw(t, map[string]any{"patient_no": "4712"}))
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.Fields["patient_no"]; v.Value != "4712" || v.Source != inkform.SourceVerifier || v.Confidence != 1 || !v.Valid {
		t.Errorf("agreed entries set %+v; want 4712 by a verifier", v)
	}
	if doc, err = e.svc.Approve(ctx, e.orgID, id, "bob"); err != nil || doc.Status != inkform.StatusValidated {
		t.Fatalf("approve after agreement: %v (%v)", doc, err)
	}
}

// TestDoubleEntryValueLost stores the entries of a failed correction: they
// agree, but the value never reached the document. Approval refuses the
// engine's reading, and one more correction stores the value.
func TestDoubleEntryValueLost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	for _, user := range []string{"ann", "bob"} {
		if err := e.entries.AddEntries(ctx, e.orgID, id, user, map[string]any{"patient_no": "4712"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.svc.Approve(ctx, e.orgID, id, "cy")
	wantProblem(t, "approve the engine's reading", err, "fields.patient_no")
	doc, err := e.svc.Correct(ctx, e.orgID, id, "cy", raw(t, map[string]any{"patient_no": "4712"}))
	if err != nil || doc.Fields["patient_no"].Value != "4712" {
		t.Fatalf("the correction after agreement: %v (%v)", doc, err)
	}
	if _, err := e.svc.Approve(ctx, e.orgID, id, "cy"); err != nil {
		t.Errorf("approve: %v", err)
	}
}

func TestDoubleEntryConflict(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	for user, v := range map[string]string{"ann": "4712", "bob": "4713"} {
		if _, err := e.svc.Correct(ctx, e.orgID, id, user, raw(t, map[string]any{"patient_no": v})); err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		if err := e.leases.ReleaseLease(ctx, e.orgID, id, user); err != nil {
			t.Fatal(err)
		}
	}
	if v := e.find(t, id).Fields["patient_no"].Value; v != "4711" {
		t.Errorf("disagreeing entries set %v", v)
	}
	qs, err := e.leases.ListVerificationQueues(ctx, e.orgID)
	if err != nil || len(qs) != 1 || qs[0].Conflicts != 1 {
		t.Errorf("queues %+v (%v); want one conflict", qs, err)
	}
	_, err = e.svc.Approve(ctx, e.orgID, id, "cy")
	wantProblem(t, "approve with a conflict", err, "fields.patient_no")
	if !strings.Contains(inkform.ErrorMessage(err), "third person") {
		t.Errorf("refusal %q does not say a third person decides", inkform.ErrorMessage(err))
	}
	doc, err := e.svc.Correct(ctx, e.orgID, id, "cy", raw(t, map[string]any{"patient_no": "4713"}))
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.Fields["patient_no"]; v.Value != "4713" || v.Source != inkform.SourceVerifier {
		t.Errorf("the decision set %+v", v)
	}
	if _, err := e.svc.Approve(ctx, e.orgID, id, "cy"); err != nil {
		t.Fatalf("approve after the decision: %v", err)
	}
}

func TestLeaseConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	if _, err := e.leases.LeaseDocument(ctx, e.orgID, id, "ann", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Correct(ctx, e.orgID, id, "bob", raw(t, map[string]any{"ward": "C3"}))
	wantCode(t, "bob corrects ann's document", err, inkform.ECONFLICT)
	_, err = e.svc.Approve(ctx, e.orgID, id, "bob")
	wantCode(t, "bob approves ann's document", err, inkform.ECONFLICT)
	_, err = e.svc.Confirm(ctx, e.orgID, e.form.ID, "ward", "bob", []string{id}, nil)
	wantCode(t, "bob confirms ann's document", err, inkform.ECONFLICT)
	err = e.svc.Flag(ctx, e.orgID, id, "bob", "smudged")
	wantCode(t, "bob flags ann's document", err, inkform.ECONFLICT)
	if got := e.find(t, id).Fields["ward"].Value; got != "B2" {
		t.Errorf("ward = %v after refusals", got)
	}
	// Ann herself works on.
	if _, err := e.svc.Correct(ctx, e.orgID, id, "ann", raw(t, map[string]any{"ward": "C3"})); err != nil {
		t.Errorf("ann corrects her document: %v", err)
	}
}

func TestConfirm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// patient_no was typed twice already on each; ward is doubtful.
	doubtfulWard := func(ward string, urgent inkform.FieldValue) map[string]inkform.FieldValue {
		f := waiting()
		f["patient_no"] = inkform.FieldValue{Value: "4711", Confidence: 1, Source: inkform.SourceVerifier, Valid: true, Problems: []string{}}
		f["ward"], f["urgent"] = read(ward, 0.4), urgent
		return f
	}
	a := e.put(t, doubtfulWard("B2", read(false, 0.99)))
	b := e.put(t, doubtfulWard("B7", read(false, 0.99)))
	c := e.put(t, doubtfulWard("B2", read(true, 0.3))) // urgent is doubtful too
	for _, id := range []string{a, b, c} {
		for _, u := range []string{"x", "y"} {
			if err := e.entries.AddEntries(ctx, e.orgID, id, u, map[string]any{"patient_no": "4711"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	approved, err := e.svc.Confirm(ctx, e.orgID, e.form.ID, "ward", "ann", []string{a, b, c}, raw(t, map[string]any{b: "B1"}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(approved, []string{a, b}) {
		t.Errorf("approved %v, want %v", approved, []string{a, b})
	}
	for id, want := range map[string]string{a: "B2", b: "B1", c: "B2"} {
		doc := e.find(t, id)
		if w := doc.Fields["ward"]; w.Value != want || w.Source != inkform.SourceVerifier || w.Confidence != 1 {
			t.Errorf("ward of %s = %+v, want %s confirmed by a person", id, w, want)
		}
	}
	if st := e.find(t, c).Status; st != inkform.StatusNeedsVerification {
		t.Errorf("document with a doubtful checkbox is %s; want it waiting", st)
	}
	// Ann's leases ended: bob may take the one left.
	if le, err := e.leases.LeaseNext(ctx, e.orgID, e.form.ID, "bob", time.Now().Add(time.Minute)); err != nil || le.DocumentID != c {
		t.Errorf("bob leased %+v (%v), want %s", le, err, c)
	}

	// A bad correction refuses the whole screen, naming the document.
	d := e.put(t, doubtfulWard("B2", read(false, 0.99)))
	_, err = e.svc.Confirm(ctx, e.orgID, e.form.ID, "ward", "ann", []string{d}, raw(t, map[string]any{d: 5}))
	wantProblem(t, "a bad correction", err, "documents."+d+".fields.ward")
	tests := []struct {
		name, field string
		ids         []string
		code        string
	}{
		{"double entry", "patient_no", []string{d}, inkform.EUNPROCESSABLE},
		{"unknown field", "nurse", []string{d}, inkform.EINVALID},
		{"no documents", "ward", nil, inkform.EINVALID},
		{"too many", "ward", slices.Repeat([]string{d}, inkform.MaxGroupSize+1), inkform.EINVALID},
		{"unknown document", "ward", []string{inkform.NewID()}, inkform.ENOTFOUND},
	}
	for _, tt := range tests {
		_, err := e.svc.Confirm(ctx, e.orgID, e.form.ID, tt.field, "ann", tt.ids, nil)
		wantCode(t, tt.name, err, tt.code)
	}
	if st := e.find(t, d).Status; st != inkform.StatusNeedsVerification {
		t.Errorf("refused confirmations changed the document: %s", st)
	}
}

func TestFlag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := e.put(t, waiting())
	if _, err := e.leases.LeaseNext(ctx, e.orgID, e.form.ID, "ann", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "no reason", e.svc.Flag(ctx, e.orgID, id, "ann", ""), inkform.EINVALID)
	if err := e.svc.Flag(ctx, e.orgID, id, "ann", "torn page"); err != nil {
		t.Fatal(err)
	}
	changes, err := e.docs.ListStatusChanges(ctx, e.orgID, id)
	if err != nil {
		t.Fatal(err)
	}
	if last := changes[len(changes)-1]; last.Cause != "flagged by ann: torn page" || last.To != inkform.StatusNeedsVerification {
		t.Errorf("history ends with %+v", last)
	}
	if le, err := e.leases.LeaseNext(ctx, e.orgID, e.form.ID, "bob", time.Now().Add(time.Minute)); err != nil || le.DocumentID != id {
		t.Errorf("bob leased %+v (%v) after the flag; want %s", le, err, id)
	}
}
