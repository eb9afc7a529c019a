package inkformtest

import (
	"context"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseDocumentService runs the read side of the DocumentService
// contract against Documents, over documents made by NewDocument on forms
// made through Forms in orgs made through Orgs.
func ExerciseDocumentService(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Find", testDocumentFind},
		{"List", testDocumentList},
		{"ListPages", testDocumentListPages},
		{"Ink", testDocumentInk},
		{"StatusChanges", testDocumentStatusChanges},
		{"Isolation", testDocumentIsolation},
	})
}

// docFixture is an org with two forms and documents on them.
type docFixture struct {
	org  *inkform.Org
	f, g *inkform.Form
	docs []*inkform.Document // oldest first
}

func newDocFixture(t *testing.T, s Stores, statuses ...inkform.DocumentStatus) *docFixture {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Forms", s.Forms != nil)
	need(t, "Documents", s.Documents != nil)
	need(t, "NewDocument", s.NewDocument != nil)
	fx := &docFixture{org: newOrg(t, s.Orgs)}
	fx.f = newForm(t, s.Forms, fx.org.ID, "Form F", inkform.PatternCopied, 1)
	fx.g = newForm(t, s.Forms, fx.org.ID, "Form G", inkform.PatternCopied, 1)
	for i, st := range statuses {
		form := fx.f
		if i%3 == 2 {
			form = fx.g
		}
		nextMillisecond() // documents made in order list in that order
		fx.docs = append(fx.docs, s.NewDocument(t, form, st))
	}
	return fx
}

// docIDs returns the IDs of docs.
func docIDs(docs []*inkform.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func testDocumentFind(t *testing.T, s Stores) {
	fx := newDocFixture(t, s, inkform.StatusReceived, inkform.StatusValidated)
	for i, want := range fx.docs {
		got, err := s.Documents.FindDocument(context.Background(), fx.org.ID, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.OrgID != fx.org.ID || got.FormID != fx.f.ID || got.FormVersion != 1 ||
			got.Status != want.Status || !slices.Equal(got.Pages, want.Pages) || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("document %d = %+v, want %+v", i, got, want)
		}
		if len(got.Pages) != 1 || got.Pages[0].Address != fx.f.Pages[0].Address || got.Pages[0].Number != 1 {
			t.Errorf("document %d pages %+v; want page 1 of its form", i, got.Pages)
		}
	}
	_, err := s.Documents.FindDocument(context.Background(), fx.org.ID, inkform.NewID())
	wantCode(t, "an unknown document", err, inkform.ENOTFOUND)
}

func testDocumentList(t *testing.T, s Stores) {
	st := []inkform.DocumentStatus{inkform.StatusReceived, inkform.StatusValidated, inkform.StatusNeedsVerification,
		inkform.StatusValidated, inkform.StatusReceived, inkform.StatusValidated}
	fx := newDocFixture(t, s, st...)
	d := fx.docs
	mid := d[2].CreatedAt
	tests := []struct {
		name   string
		filter inkform.DocumentFilter
		want   []*inkform.Document
	}{
		{"all", inkform.DocumentFilter{}, d},
		{"form", inkform.DocumentFilter{FormID: fx.f.ID}, []*inkform.Document{d[0], d[1], d[3], d[4]}},
		{"other form", inkform.DocumentFilter{FormID: fx.g.ID}, []*inkform.Document{d[2], d[5]}},
		{"unknown form", inkform.DocumentFilter{FormID: inkform.NewID()}, nil},
		{"status", inkform.DocumentFilter{Status: inkform.StatusValidated}, []*inkform.Document{d[1], d[3], d[5]}},
		{"form and status", inkform.DocumentFilter{FormID: fx.f.ID, Status: inkform.StatusReceived}, []*inkform.Document{d[0], d[4]}},
		{"since", inkform.DocumentFilter{Since: mid}, since(d, mid)},
		{"until", inkform.DocumentFilter{Until: mid}, until(d, mid)},
		{"window", inkform.DocumentFilter{Since: d[1].CreatedAt, Until: d[4].CreatedAt}, until(since(d, d[1].CreatedAt), d[4].CreatedAt)},
		{"after", inkform.DocumentFilter{After: d[3].ID}, d[4:]},
		{"pen", inkform.DocumentFilter{PenID: d[0].PenID}, d},
		{"other pen", inkform.DocumentFilter{PenID: "AAA-AAA-AAA-00"}, nil},
		{"pen and status", inkform.DocumentFilter{PenID: d[0].PenID, Status: inkform.StatusNeedsVerification}, d[2:3]},
	}
	for _, tt := range tests {
		got, next, err := s.Documents.ListDocuments(context.Background(), fx.org.ID, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !slices.Equal(docIDs(got), docIDs(tt.want)) || next != "" {
			t.Errorf("%s: listed %v (next %q), want %v", tt.name, docIDs(got), next, docIDs(tt.want))
		}
	}
	// The filters' times must split the documents for since and until
	// to test anything.
	if len(since(d, mid)) == len(d) || len(until(d, mid)) == 0 || d[0].PenID == "" {
		t.Fatalf("creation times %v do not split at %v", d, mid)
	}
}

// since returns the docs created at or after at.
func since(docs []*inkform.Document, at time.Time) []*inkform.Document {
	var out []*inkform.Document
	for _, d := range docs {
		if !d.CreatedAt.Before(at) {
			out = append(out, d)
		}
	}
	return out
}

// until returns the docs created before at.
func until(docs []*inkform.Document, at time.Time) []*inkform.Document {
	var out []*inkform.Document
	for _, d := range docs {
		if d.CreatedAt.Before(at) {
			out = append(out, d)
		}
	}
	return out
}

func testDocumentListPages(t *testing.T, s Stores) {
	fx := newDocFixture(t, s, slices.Repeat([]inkform.DocumentStatus{inkform.StatusReceived}, 5)...)
	var got []string
	after, pages := "", 0
	for {
		docs, next, err := s.Documents.ListDocuments(context.Background(), fx.org.ID, inkform.DocumentFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, docIDs(docs)...)
		if next == "" {
			break
		}
		if len(docs) != 2 || next != docs[1].ID || pages > 3 {
			t.Fatalf("page %d: %v with cursor %q; want 2 documents and the last one's ID", pages, docIDs(docs), next)
		}
		after = next
	}
	if want := docIDs(fx.docs); !slices.Equal(got, want) || pages != 3 {
		t.Errorf("paged through %v in %d pages, want %v in 3", got, pages, want)
	}
	docs, next, err := s.Documents.ListDocuments(context.Background(), fx.org.ID, inkform.DocumentFilter{Limit: 5})
	if err != nil || len(docs) != 5 || next != "" {
		t.Errorf("an exact page: %d documents, next %q (%v); want 5 and no cursor", len(docs), next, err)
	}
}

func testDocumentInk(t *testing.T, s Stores) {
	fx := newDocFixture(t, s, inkform.StatusReceived)
	doc := fx.docs[0]
	ink, err := s.Documents.FindDocumentInk(context.Background(), fx.org.ID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ink.DocumentID != doc.ID || ink.PenID != doc.PenID || ink.Rows < 1 || len(ink.SHA256) != 64 {
		t.Errorf("ink %+v of document %+v", ink, doc)
	}
	if _, err := hex.DecodeString(ink.SHA256); err != nil {
		t.Errorf("SHA256 %q is not hex", ink.SHA256)
	}
	// The ink is the ink the document counts: the same pages, the same
	// strokes.
	if len(ink.Pages) != len(doc.Pages) {
		t.Fatalf("ink of %d pages, document of %d", len(ink.Pages), len(doc.Pages))
	}
	for i, p := range ink.Pages {
		if p.Address != doc.Pages[i].Address || len(p.Strokes) != doc.Pages[i].Strokes || len(p.Strokes) == 0 {
			t.Errorf("ink page %s with %d strokes, document page %+v", p.Address, len(p.Strokes), doc.Pages[i])
		}
	}
	again, err := s.Documents.FindDocumentInk(context.Background(), fx.org.ID, doc.ID)
	if err != nil || again.SHA256 != ink.SHA256 || again.Rows != ink.Rows {
		t.Errorf("a second read: %+v (%v); want the same hash and rows", again, err)
	}
	_, err = s.Documents.FindDocumentInk(context.Background(), fx.org.ID, inkform.NewID())
	wantCode(t, "ink of an unknown document", err, inkform.ENOTFOUND)
}

func testDocumentStatusChanges(t *testing.T, s Stores) {
	fx := newDocFixture(t, s, inkform.StatusReceived, inkform.StatusValidated)
	for _, doc := range fx.docs {
		changes, err := s.Documents.ListStatusChanges(context.Background(), fx.org.ID, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) == 0 || changes[0].From != "" || changes[len(changes)-1].To != doc.Status {
			t.Errorf("document %s (%s): history %+v; want it to start from nothing and end in the document's status", doc.ID, doc.Status, changes)
			continue
		}
		for i, c := range changes {
			if c.Cause == "" || c.At.IsZero() || (i > 0 && (c.At.Before(changes[i-1].At) || c.From != changes[i-1].To)) {
				t.Errorf("document %s: change %d of %+v; want a cause, a time, and each change to go on from the one before", doc.ID, i, changes)
			}
		}
	}
	if changes, _ := s.Documents.ListStatusChanges(context.Background(), fx.org.ID, fx.docs[1].ID); len(changes) < 2 {
		t.Errorf("a validated document has %d status changes; want its arrival and its validation", len(changes))
	}
	_, err := s.Documents.ListStatusChanges(context.Background(), fx.org.ID, inkform.NewID())
	wantCode(t, "history of an unknown document", err, inkform.ENOTFOUND)
}

func testDocumentIsolation(t *testing.T, s Stores) {
	fx := newDocFixture(t, s, inkform.StatusValidated)
	theirs := newDocFixture(t, s, inkform.StatusValidated)
	ctx := context.Background()
	id := fx.docs[0].ID
	_, err := s.Documents.FindDocument(ctx, theirs.org.ID, id)
	wantCode(t, "FindDocument by another org", err, inkform.ENOTFOUND)
	_, err = s.Documents.FindDocumentInk(ctx, theirs.org.ID, id)
	wantCode(t, "FindDocumentInk by another org", err, inkform.ENOTFOUND)
	_, err = s.Documents.ListStatusChanges(ctx, theirs.org.ID, id)
	wantCode(t, "ListStatusChanges by another org", err, inkform.ENOTFOUND)
	tests := []struct {
		filter inkform.DocumentFilter
		want   []*inkform.Document
	}{
		{inkform.DocumentFilter{}, theirs.docs},
		{inkform.DocumentFilter{Status: inkform.StatusValidated}, theirs.docs},
		{inkform.DocumentFilter{FormID: fx.f.ID}, nil},
	}
	for _, tt := range tests {
		docs, _, err := s.Documents.ListDocuments(ctx, theirs.org.ID, tt.filter)
		if err != nil || !slices.Equal(docIDs(docs), docIDs(tt.want)) {
			t.Errorf("the other org with filter %+v lists %v (%v), want %v", tt.filter, docIDs(docs), err, docIDs(tt.want))
		}
	}
}
