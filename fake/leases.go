package fake

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.LeaseStore = (*Leases)(nil)

// Leases is an in-memory LeaseStore over the documents of Documents, the
// entries of Entries and, for the queues' form names, the forms of Forms;
// it needs all three.
type Leases struct {
	Hook      Hook
	Documents *Documents
	Entries   *Entries
	Forms     inkform.FormService

	mu     sync.Mutex
	leases map[string]inkform.Lease // by document ID
}

// waiting returns copies of the org's documents that need verification
// (of formID, or of every form for ""), oldest first.
func (d *Documents) waiting(orgID, formID string) []*inkform.Document {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []*inkform.Document
	for _, rec := range d.docs {
		doc := rec.doc
		if doc.OrgID == orgID && doc.Status == inkform.StatusNeedsVerification && (formID == "" || doc.FormID == formID) {
			out = append(out, cloneDocument(doc))
		}
	}
	slices.SortFunc(out, func(a, b *inkform.Document) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// live returns the live lease on a document, if any; the caller holds mu.
func (l *Leases) live(docID string) (inkform.Lease, bool) {
	le, ok := l.leases[docID]
	return le, ok && le.ExpiresAt.After(time.Now())
}

// put stores a lease; the caller holds mu.
func (l *Leases) put(docID, userID string, expiresAt time.Time) inkform.Lease {
	if l.leases == nil {
		l.leases = map[string]inkform.Lease{}
	}
	le := inkform.Lease{DocumentID: docID, UserID: userID, ExpiresAt: dbTime(expiresAt)}
	l.leases[docID] = le
	return le
}

// typedPending reports whether userID typed a double entry of the
// document that still waits for another person.
func (l *Leases) typedPending(docID, userID string) bool {
	entries := l.Entries.of(docID)
	states := inkform.EntryStates(entries)
	for _, e := range entries {
		if e.UserID == userID && !states[e.Field].State.Settled() {
			return true
		}
	}
	return false
}

// lease leases up to limit of the form's waiting documents to userID,
// oldest first, renewing the user's own live leases among them.
func (l *Leases) lease(orgID, formID, userID string, limit int, expiresAt time.Time) []inkform.Lease {
	docs := l.Documents.waiting(orgID, formID)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []inkform.Lease{}
	for _, doc := range docs {
		if len(out) == limit {
			break
		}
		le, held := l.live(doc.ID)
		if (held && le.UserID != userID) || (!held && l.typedPending(doc.ID, userID)) {
			continue
		}
		out = append(out, l.put(doc.ID, userID, expiresAt))
	}
	return out
}

// LeaseNext implements inkform.LeaseStore.
func (l *Leases) LeaseNext(ctx context.Context, orgID, formID, userID string, expiresAt time.Time) (*inkform.Lease, error) {
	if err := l.Hook.call("LeaseNext", orgID, formID, userID, expiresAt); err != nil {
		return nil, err
	}
	docs := l.Documents.waiting(orgID, formID)
	l.mu.Lock()
	for _, doc := range docs {
		if le, held := l.live(doc.ID); held && le.UserID == userID {
			le = l.put(doc.ID, userID, expiresAt)
			l.mu.Unlock()
			return &le, nil
		}
	}
	l.mu.Unlock()
	got := l.lease(orgID, formID, userID, 1, expiresAt)
	if len(got) == 0 {
		return nil, notFound("document to verify")
	}
	return &got[0], nil
}

// LeaseGroup implements inkform.LeaseStore.
func (l *Leases) LeaseGroup(ctx context.Context, orgID, formID, userID string, limit int, expiresAt time.Time) ([]inkform.Lease, error) {
	if err := l.Hook.call("LeaseGroup", orgID, formID, userID, limit, expiresAt); err != nil {
		return nil, err
	}
	if limit < 1 || limit > inkform.MaxGroupSize {
		return nil, inkform.Errorf(inkform.EINVALID, "a group has 1 to %d documents, not %d", inkform.MaxGroupSize, limit)
	}
	return l.lease(orgID, formID, userID, limit, expiresAt), nil
}

// LeaseDocument implements inkform.LeaseStore.
func (l *Leases) LeaseDocument(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) (*inkform.Lease, error) {
	if err := l.Hook.call("LeaseDocument", orgID, docID, userID, expiresAt); err != nil {
		return nil, err
	}
	var status inkform.DocumentStatus
	if err := l.Documents.read("", orgID, docID, func(rec *docRec) { status = rec.doc.Status }); err != nil {
		return nil, err
	}
	if status != inkform.StatusNeedsVerification {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "the document does not need verification (it is %s)", status)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if le, held := l.live(docID); held && le.UserID != userID {
		return nil, inkform.Errorf(inkform.ECONFLICT, "someone else is verifying this document")
	}
	le := l.put(docID, userID, expiresAt)
	return &le, nil
}

// RenewLease implements inkform.LeaseStore.
func (l *Leases) RenewLease(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) error {
	if err := l.Hook.call("RenewLease", orgID, docID, userID, expiresAt); err != nil {
		return err
	}
	if !l.Documents.exists(orgID, docID) {
		return inkform.Errorf(inkform.ECONFLICT, "the lease is gone")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if le, held := l.live(docID); !held || le.UserID != userID {
		return inkform.Errorf(inkform.ECONFLICT, "the lease is gone")
	}
	l.put(docID, userID, expiresAt)
	return nil
}

// ReleaseLease implements inkform.LeaseStore.
func (l *Leases) ReleaseLease(ctx context.Context, orgID, docID, userID string) error {
	if err := l.Hook.call("ReleaseLease", orgID, docID, userID); err != nil {
		return err
	}
	if !l.Documents.exists(orgID, docID) {
		return nil
	}
	l.release(docID, userID)
	return nil
}

// release ends userID's lease on a document, if they hold it.
func (l *Leases) release(docID, userID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if le, ok := l.leases[docID]; ok && le.UserID == userID {
		delete(l.leases, docID)
	}
}

// ListVerificationQueues implements inkform.LeaseStore.
func (l *Leases) ListVerificationQueues(ctx context.Context, orgID string) ([]inkform.VerificationQueue, error) {
	if err := l.Hook.call("ListVerificationQueues", orgID); err != nil {
		return nil, err
	}
	byForm := map[string]*inkform.VerificationQueue{}
	out := []inkform.VerificationQueue{}
	var order []string
	for _, doc := range l.Documents.waiting(orgID, "") {
		q := byForm[doc.FormID]
		if q == nil {
			form, err := l.Forms.FindForm(ctx, orgID, doc.FormID)
			if err != nil {
				return nil, err
			}
			q = &inkform.VerificationQueue{FormID: doc.FormID, FormName: form.Name, Oldest: doc.CreatedAt}
			byForm[doc.FormID] = q
			order = append(order, doc.FormID)
		}
		q.Waiting++
		for _, st := range inkform.EntryStates(l.Entries.of(doc.ID)) {
			if st.State == inkform.EntriesConflict {
				q.Conflicts++
				break
			}
		}
	}
	for _, id := range order {
		out = append(out, *byForm[id])
	}
	return out, nil
}

// FlagDocument implements inkform.LeaseStore.
func (l *Leases) FlagDocument(ctx context.Context, orgID, docID, userID, reason string) error {
	if err := l.Hook.call("FlagDocument", orgID, docID, userID, reason); err != nil {
		return err
	}
	err := l.Documents.read("", orgID, docID, func(rec *docRec) {
		rec.changes = append(rec.changes, inkform.StatusChange{From: rec.doc.Status, To: rec.doc.Status,
			Cause: "flagged by " + userID + ": " + reason, At: now()})
	})
	if err != nil {
		return err
	}
	l.release(docID, userID)
	return nil
}
