package http

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/verify"
)

// newVerifyEnv is a testEnv whose verification workflow is verify.Service
// over the env's fakes, with a waiting document of a form with a
// double-entry field; it returns the leases too.
func newVerifyEnv(t *testing.T) (*testEnv, *fake.Leases, string) {
	t.Helper()
	var leases *fake.Leases
	e := newEnv(t, func(s *Server) {
		docs := s.Documents.(*fake.Documents)
		entries := &fake.Entries{Documents: docs}
		leases = &fake.Leases{Documents: docs, Entries: entries, Forms: s.Forms}
		s.Verification = &verify.Service{Forms: s.Forms, Documents: docs, Updater: docs, Leases: leases, Entries: entries}
		s.Entries = entries
	})
	form, err := e.forms.CreateForm(context.Background(), e.orgID, &inkform.FormTemplate{
		Name: "Intake", Pattern: inkform.PatternCopied, ConfidenceThreshold: 0.9,
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}}},
		Fields: []inkform.Field{
			{Name: "patient_no", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 60, H: 10}, DoubleEntry: true},
			{Name: "ward", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 40, W: 60, H: 10}, Required: true},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: form.ID, FormVersion: form.Version,
		Status: inkform.StatusNeedsVerification, CreatedAt: time.Now().UTC(),
		Fields: map[string]inkform.FieldValue{"patient_no": {Value: "1", Confidence: 0.3, Source: inkform.SourceICR, Valid: true}}}
	e.docs.Put(doc, nil)
	return e, leases, doc.ID
}

func TestDocumentVerifyRoutes(t *testing.T) {
	t.Parallel()
	e, leases, id := newVerifyEnv(t)
	patch := func(body string) int {
		return e.do(t, inkform.RoleVerifier, "PATCH", "/api/v1/documents/"+id, "application/json", body).Code
	}
	// Another person's live lease: 409 as a problem, nothing changed.
	if _, err := leases.LeaseDocument(context.Background(), e.orgID, id, "someone else", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	w := e.do(t, inkform.RoleVerifier, "PATCH", "/api/v1/documents/"+id, "application/json", `{"fields":{"ward":"B2"}}`)
	if w.Code != http.StatusConflict || decodeProblem(t, w).Status != http.StatusConflict {
		t.Fatalf("PATCH under another's lease: %d %s", w.Code, w.Body)
	}
	w = e.do(t, inkform.RoleVerifier, "POST", "/api/v1/documents/"+id+"/approve", "", "")
	if w.Code != http.StatusConflict {
		t.Fatalf("approve under another's lease: %d %s", w.Code, w.Body)
	}
	if err := leases.ReleaseLease(context.Background(), e.orgID, id, "someone else"); err != nil {
		t.Fatal(err)
	}
	if code := patch(`{"fields":{"ward":"B2","patient_no":"4711"}}`); code != http.StatusOK {
		t.Fatalf("PATCH: %d", code)
	}
	// The history lists the ward's change by the caller, and not the
	// blind entry.
	var hist historyResponse
	decodeJSONBody(t, e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+id+"/history", "", ""), &hist)
	if len(hist.Fields) != 1 || hist.Fields[0].Field != "ward" || hist.Fields[0].To != "B2" || hist.Fields[0].By == "" ||
		hist.Fields[0].Source != inkform.SourceVerifier {
		t.Errorf("field history %+v; want ward set to B2 by the caller", hist.Fields)
	}
	// The double-entry field waits for a second person: approval names it.
	w = e.do(t, inkform.RoleVerifier, "POST", "/api/v1/documents/"+id+"/approve", "", "")
	p := decodeProblem(t, w)
	if w.Code != http.StatusUnprocessableEntity || len(p.Problems) != 1 || p.Problems[0].Path != "fields.patient_no" ||
		!strings.Contains(p.Problems[0].Message, "second person") {
		t.Fatalf("approve with one entry: %d %s", w.Code, w.Body)
	}
	// The same person typing it again is refused.
	if code := patch(`{"fields":{"patient_no":"4711"}}`); code != http.StatusConflict {
		t.Errorf("a second entry by the same caller: %d, want 409", code)
	}
	if code := patch(`{"fields":{}}`); code != http.StatusBadRequest {
		t.Errorf("no fields: %d, want 400", code)
	}
}

func TestDocumentVerifyUnavailable(t *testing.T) {
	t.Parallel()
	e, _ := newDocEnv(t)
	w := e.do(t, inkform.RoleVerifier, "POST", "/api/v1/documents/"+inkform.NewID()+"/approve", "", "")
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("approve without the workflow: %d, want 503", w.Code)
	}
}
