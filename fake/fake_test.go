package fake_test

import (
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/inkformtest"
)

// newStores wires a fresh set of fakes together as cmd/inkform wires
// sqlstore: forms in the orgs, subscriptions on the forms, redeliveries
// into the queue.
func newStores(t *testing.T) inkformtest.Stores {
	orgs, queue, docs := &fake.Orgs{}, &fake.JobQueue{}, &fake.Documents{}
	forms := &fake.Forms{Orgs: orgs}
	users := &fake.Users{}
	sessions := &fake.Sessions{Users: users}
	users.Sessions = sessions
	entries := &fake.Entries{Documents: docs}
	return inkformtest.Stores{
		Updater: docs, Entries: entries, Leases: &fake.Leases{Documents: docs, Entries: entries, Forms: forms},
		Orgs: orgs, Tokens: &fake.Tokens{}, Forms: forms, Documents: docs, Audit: &fake.Audit{},
		Users: users, Sessions: sessions,
		Subscriptions: &fake.Subscriptions{Forms: forms, Queue: queue},
		Queue:         queue, Jobs: queue,
		NewDocument: func(t *testing.T, form *inkform.Form, status inkform.DocumentStatus) *inkform.Document {
			return putDocument(docs, form, status)
		},
	}
}

// putDocument stores a document of the form's first page with two strokes
// of ink, received and then moved to status, as capture and a verifier
// would leave it.
func putDocument(docs *fake.Documents, form *inkform.Form, status inkform.DocumentStatus) *inkform.Document {
	at := time.Now().UTC().Truncate(time.Microsecond)
	addr := form.Pages[0].Address
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: form.OrgID, FormID: form.ID, FormVersion: form.Version,
		Status: status, PenID: "AJX-AAB-7KH-6P", Pages: []inkform.DocumentPage{{Number: 1, Address: addr, Strokes: 2}},
		Fields: map[string]inkform.FieldValue{}, CreatedAt: at, UpdatedAt: at}
	stroke := inkform.Stroke{Points: []inkform.Point{{X: 20, Y: 30, T: 1}, {X: 21, Y: 31, T: 2}}}
	ink := &inkform.DocumentInk{Pages: []inkform.PageInk{{Address: addr, Strokes: []inkform.Stroke{stroke, stroke}}}}
	changes := []inkform.StatusChange{{To: inkform.StatusReceived, Cause: "captured", At: at}}
	if status != inkform.StatusReceived {
		changes = append(changes, inkform.StatusChange{From: inkform.StatusReceived, To: status, Cause: "set by the suite", At: at})
	}
	docs.Put(doc, ink, changes...)
	return doc
}

// TestConformance holds the fakes to the contracts sqlstore keeps.
func TestConformance(t *testing.T) {
	t.Parallel()
	inkformtest.ExerciseAll(t, newStores)
}
