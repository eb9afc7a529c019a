package ui

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// workflow is a small in-memory verification workflow for the station's
// unit tests: leases, entries, corrections and approval over the fake
// document and form stores. The real workflow (verify, sqlstore) is held
// to its own contract; these tests are about the pages.
type workflow struct {
	docs  *fake.Documents
	forms *fake.Forms
	now   func() time.Time

	mu      sync.Mutex
	leases  map[string]inkform.Lease // by document
	entries []inkform.Entry
	changes map[string][]inkform.FieldChange
	flagged map[string]string // reason by document
}

func (w *workflow) live(docID string) (inkform.Lease, bool) {
	l, ok := w.leases[docID]
	return l, ok && l.ExpiresAt.After(w.now())
}

func (w *workflow) waiting(ctx context.Context, orgID, formID string) []*inkform.Document {
	docs, _, _ := w.docs.ListDocuments(ctx, orgID, inkform.DocumentFilter{FormID: formID, Status: inkform.StatusNeedsVerification})
	return docs
}

func (w *workflow) LeaseNext(ctx context.Context, orgID, formID, userID string, exp time.Time) (*inkform.Lease, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range w.waiting(ctx, orgID, formID) {
		if l, ok := w.live(d.ID); !ok || l.UserID == userID {
			l := inkform.Lease{DocumentID: d.ID, UserID: userID, ExpiresAt: exp}
			w.leases[d.ID] = l
			return &l, nil
		}
	}
	return nil, inkform.Errorf(inkform.ENOTFOUND, "nothing waits")
}

func (w *workflow) LeaseGroup(context.Context, string, string, string, int, time.Time) ([]inkform.Lease, error) {
	return nil, nil
}

func (w *workflow) LeaseDocument(ctx context.Context, orgID, docID, userID string, exp time.Time) (*inkform.Lease, error) {
	d, err := w.docs.FindDocument(ctx, orgID, docID)
	if err != nil {
		return nil, err
	}
	if d.Status != inkform.StatusNeedsVerification {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "does not need verification")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if l, ok := w.live(docID); ok && l.UserID != userID {
		return nil, inkform.Errorf(inkform.ECONFLICT, "taken")
	}
	l := inkform.Lease{DocumentID: docID, UserID: userID, ExpiresAt: exp}
	w.leases[docID] = l
	return &l, nil
}

func (w *workflow) RenewLease(_ context.Context, _, docID, userID string, exp time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if l, ok := w.live(docID); !ok || l.UserID != userID {
		return inkform.Errorf(inkform.ECONFLICT, "lease gone")
	}
	w.leases[docID] = inkform.Lease{DocumentID: docID, UserID: userID, ExpiresAt: exp}
	return nil
}

func (w *workflow) ReleaseLease(_ context.Context, _, docID, userID string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if l, ok := w.leases[docID]; ok && l.UserID == userID {
		delete(w.leases, docID)
	}
	return nil
}

func (w *workflow) ListVerificationQueues(ctx context.Context, orgID string) ([]inkform.VerificationQueue, error) {
	forms, err := w.forms.ListForms(ctx, orgID, inkform.FormFilter{})
	if err != nil {
		return nil, err
	}
	var out []inkform.VerificationQueue
	for _, f := range forms {
		if docs := w.waiting(ctx, orgID, f.ID); len(docs) > 0 {
			out = append(out, inkform.VerificationQueue{FormID: f.ID, FormName: f.Name, Waiting: len(docs), Oldest: docs[0].CreatedAt})
		}
	}
	return out, nil
}

func (w *workflow) AddEntries(context.Context, string, string, string, map[string]any) error {
	return nil
}

func (w *workflow) ListEntries(_ context.Context, _, docID string) ([]inkform.Entry, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []inkform.Entry
	for _, e := range w.entries {
		if e.DocumentID == docID {
			out = append(out, e)
		}
	}
	return out, nil
}

func (w *workflow) ListFieldChanges(_ context.Context, _, docID string) ([]inkform.FieldChange, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.changes[docID]), nil
}

// holder checks that no one else holds a live lease on the document.
func (w *workflow) holder(docID, actor string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if l, ok := w.live(docID); ok && l.UserID != actor {
		return inkform.Errorf(inkform.ECONFLICT, "another person holds the document")
	}
	return nil
}

func (w *workflow) Correct(ctx context.Context, orgID, docID, actor string, raw map[string]json.RawMessage) (*inkform.Document, error) {
	if err := w.holder(docID, actor); err != nil {
		return nil, err
	}
	d, err := w.docs.FindDocument(ctx, orgID, docID)
	if err != nil {
		return nil, err
	}
	form, err := w.forms.FindFormVersion(ctx, orgID, d.FormID, d.FormVersion)
	if err != nil {
		return nil, err
	}
	var problems []inkform.Problem
	values := map[string]any{}
	for name, r := range raw {
		f := form.Field(name)
		v, err := f.DecodeValue(r)
		if err != nil {
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: inkform.ErrorMessage(err)})
		}
		for _, p := range f.Check(v) {
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: p})
		}
		values[name] = v
	}
	if len(problems) > 0 {
		return nil, &inkform.Error{Code: inkform.EUNPROCESSABLE, Message: "fields break their rules", Problems: problems}
	}
	w.mu.Lock()
	for name, v := range values {
		w.changes[docID] = append(w.changes[docID], inkform.FieldChange{Field: name, From: d.Fields[name].Value, To: v,
			Source: inkform.SourceVerifier, By: actor, Cause: "corrected", At: w.now()})
		d.Fields[name] = inkform.FieldValue{Value: v, Source: inkform.SourceVerifier, Valid: true, Confidence: 1}
	}
	w.mu.Unlock()
	w.save(ctx, d)
	return d, nil
}

// save stores a changed document, keeping its ink.
func (w *workflow) save(ctx context.Context, d *inkform.Document) {
	di, _ := w.docs.FindDocumentInk(ctx, d.OrgID, d.ID)
	w.docs.Put(d, di)
}

func (w *workflow) Approve(ctx context.Context, orgID, docID, actor string) (*inkform.Document, error) {
	if err := w.holder(docID, actor); err != nil {
		return nil, err
	}
	d, err := w.docs.FindDocument(ctx, orgID, docID)
	if err != nil {
		return nil, err
	}
	var problems []inkform.Problem
	for name, fv := range d.Fields {
		if !fv.Valid {
			problems = append(problems, inkform.Problem{Path: "fields." + name, Message: "is not valid"})
		}
	}
	if len(problems) > 0 {
		return nil, &inkform.Error{Code: inkform.EUNPROCESSABLE, Message: "fields break their rules", Problems: problems}
	}
	d.Status = inkform.StatusValidated
	w.save(ctx, d)
	return d, nil
}

func (w *workflow) Confirm(context.Context, string, string, string, string, []string, map[string]json.RawMessage) ([]string, error) {
	return nil, nil
}

func (w *workflow) FlagDocument(_ context.Context, _, docID, userID, reason string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flagged[docID] = reason
	if l, ok := w.leases[docID]; ok && l.UserID == userID {
		delete(w.leases, docID)
	}
	return nil
}

// Flag sets the document aside as the workflow does: it keeps waiting,
// the actor's lease ends.
func (w *workflow) Flag(ctx context.Context, orgID, docID, actor, reason string) error {
	if err := w.holder(docID, actor); err != nil {
		return err
	}
	return w.FlagDocument(ctx, orgID, docID, actor, reason)
}
