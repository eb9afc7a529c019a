package verify_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/verify"
)

// env is a Service over fakes with one org and one form: patient_no (a
// number of up to 6 digits, typed twice blind), ward (text, required) and
// urgent (a checkbox).
type env struct {
	svc     *verify.Service
	docs    *fake.Documents
	entries *fake.Entries
	leases  *fake.Leases
	orgID   string
	form    *inkform.Form
}

func newEnv(t *testing.T) *env {
	t.Helper()
	orgs := &fake.Orgs{}
	org, err := orgs.CreateOrg(context.Background(), "clinic")
	if err != nil {
		t.Fatal(err)
	}
	forms := &fake.Forms{Orgs: orgs}
	six := 6
	form, err := forms.CreateForm(context.Background(), org.ID, &inkform.FormTemplate{
		Name: "Wound check", Pattern: inkform.PatternCopied, ConfidenceThreshold: 0.9,
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}}},
		Fields: []inkform.Field{
			{Name: "patient_no", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 60, H: 10}, MaxLength: &six, DoubleEntry: true},
			{Name: "ward", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 40, W: 60, H: 10}, Required: true},
			{Name: "urgent", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 150, Y: 20, W: 5, H: 5}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	docs := &fake.Documents{}
	entries := &fake.Entries{Documents: docs}
	leases := &fake.Leases{Documents: docs, Entries: entries, Forms: forms}
	return &env{
		svc:  &verify.Service{Forms: forms, Documents: docs, Updater: docs, Leases: leases, Entries: entries},
		docs: docs, entries: entries, leases: leases, orgID: org.ID, form: form,
	}
}

// read is a value an engine read with a confidence.
func read(v any, confidence float64) inkform.FieldValue {
	return inkform.FieldValue{Value: v, Confidence: confidence, Source: inkform.SourceICR, Valid: true, Problems: []string{}}
}

// put stores a document waiting for verification with the given values.
func (e *env) put(t *testing.T, fields map[string]inkform.FieldValue) string {
	t.Helper()
	time.Sleep(time.Millisecond) // documents put in order wait in that order
	at := time.Now().UTC().Truncate(time.Microsecond)
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: e.form.ID, FormVersion: e.form.Version,
		Status: inkform.StatusNeedsVerification, Fields: fields, CreatedAt: at, UpdatedAt: at}
	e.docs.Put(doc, nil)
	return doc.ID
}

// find returns a document.
func (e *env) find(t *testing.T, id string) *inkform.Document {
	t.Helper()
	doc, err := e.docs.FindDocument(context.Background(), e.orgID, id)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// raw encodes values as a request's fields.
func raw(t *testing.T, values map[string]any) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	for k, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = b
	}
	return out
}

// wantCode fails unless err carries the code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := inkform.ErrorCode(err); got != code {
		t.Fatalf("%s: %v (code %q), want %q", what, err, got, code)
	}
}

// wantProblem fails unless err names path among its problems.
func wantProblem(t *testing.T, what string, err error, path string) {
	t.Helper()
	wantCode(t, what, err, inkform.EUNPROCESSABLE)
	for _, p := range inkform.ErrorProblems(err) {
		if p.Path == path {
			return
		}
	}
	t.Fatalf("%s: problems %+v do not name %s", what, inkform.ErrorProblems(err), path)
}

// waiting is a document that needs a person for patient_no only.
func waiting() map[string]inkform.FieldValue {
	return map[string]inkform.FieldValue{"patient_no": read("4711", 0.5), "ward": read("B2", 0.99), "urgent": read(false, 0.99)}
}
