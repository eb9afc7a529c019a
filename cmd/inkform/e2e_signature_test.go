package main

import (
	"context"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// TestSignaturesNeedInk runs the sample form's required signature (an
// 80 × 20 mm box) through capture, interpretation, verification and
// approval on every database engine: only ink in the box signs, and a
// verifier may accept ink that is there but not invent a signature.
func TestSignaturesNeedInk(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		s := startServer(t, "--data", t.TempDir(), "--db", dsn)
		tok := s.org(t, "clinic", "admin", "integrator", "verifier")
		formID := createSampleForm(t, s, tok["admin"])
		// submit sends a valid digital submission with the signature's
		// ink and returns the document once interpreted.
		submit := func(signature string) map[string]any {
			t.Helper()
			body := `{"fields":{"patient_no":"004711","visit_date":"271126","pain":"some","signature":` + signature + `}}`
			r := s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json", []byte(body))
			want(t, r, 201, "digital submission")
			var doc struct{ ID string }
			r.json(t, &doc)
			return waitStatus(t, s, tok["verifier"], doc.ID)
		}
		signature := func(doc map[string]any) map[string]any {
			return doc["fields"].(map[string]any)["signature"].(map[string]any)
		}
		patch := func(id, value string) response {
			return s.call(t, "PATCH", "/api/v1/documents/"+id, tok["verifier"], "application/json", []byte(`{"fields":{"signature":`+value+`}}`))
		}

		// A signature in the box signs, as pen ink would.
		signed := submit(`{"strokes":[{"points":[[5,10],[20,4],[35,15],[50,5],[70,12]]}]}`)
		if sig := signature(signed); signed["status"] != "validated" || sig["value"] != true || sig["source"] != "pen" {
			t.Fatalf("a signature in the box: %v, signature %v; want validated and signed, read from the ink", signed["status"], sig)
		}

		// A line that touches the box but lies mostly beside it (x 90–190
		// mm on the page) is not ink of the box: unsigned.
		beside := submit(`{"strokes":[{"points":[[70,10],[170,10]]}]}`)
		if sig := signature(beside); beside["status"] != "needs_verification" || sig["value"] != false {
			t.Fatalf("ink beside the box: %v, signature %v; want needs_verification and unsigned", beside["status"], sig)
		}
		id := beside["id"].(string)
		r := patch(id, `true`)
		want(t, r, 422, "a verifier marks signed a box without ink")
		if b := string(r.body); !strings.Contains(b, `"fields.signature"`) || !strings.Contains(b, "no ink in this field's box") {
			t.Errorf("refusal does not say why: %s", b)
		}
		want(t, patch(id, `false`), 200, "a verifier marks the signature unsigned")

		// A 4 mm stroke in the box is too little to read as a signature,
		// but it is ink there: a verifier may accept it.
		short := submit(`{"strokes":[{"points":[[10,10],[14,10]]}]}`)
		if sig := signature(short); sig["value"] != false {
			t.Fatalf("a 4 mm stroke reads as %v; want unsigned", sig)
		}
		id = short["id"].(string)
		want(t, patch(id, `true`), 200, "a verifier accepts ink in the box")
		want(t, s.call(t, "POST", "/api/v1/documents/"+id+"/approve", tok["verifier"], "", nil), 200, "approve")

		// A document stored before these rules may say signed without ink:
		// approval refuses it.
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		org, err := db.FindOrgByName(ctx, "clinic")
		if err != nil {
			t.Fatal(err)
		}
		id = beside["id"].(string)
		if _, err := db.UpdateFields(ctx, org.ID, id, map[string]inkform.FieldValue{
			"signature": {Value: true, Confidence: 1, Source: inkform.SourceVerifier, Valid: true, Problems: []string{}}}, "test", "old rules"); err != nil {
			t.Fatal(err)
		}
		r = s.call(t, "POST", "/api/v1/documents/"+id+"/approve", tok["verifier"], "", nil)
		want(t, r, 422, "approve a signature without ink")
		if !strings.Contains(string(r.body), "fields.signature is marked signed, but the document has no ink in its box") {
			t.Errorf("refusal does not say why: %s", r.body)
		}

		// The PDF draws the signature's ink in its box (last: it skips
		// without pdftoppm).
		page := pdfPage1(t, waitPDF(t, s, signed["id"].(string), tok["verifier"]).body, 50)
		if n := inkPixels(page, inkform.Box{X: 20, Y: 250, W: 80, H: 20}, [2]float64{0, 0}, 50); n < 40 {
			t.Errorf("%d ink pixels in the signature box of the PDF, want the signature (at least 40)", n)
		}
	})
}
